import type { DevicesNotImportedPage, PatchListItem } from '../api-types.js';
import { DataTable } from '../components/data-table.js';
import { DevicesNotImportedNote } from '../components/devices-not-imported.js';
import { ErrorBox } from '../components/error-box.js';
import { SelectFilter, TextFilter } from '../components/filter-controls.js';
import { patchKey, patchListColumns } from '../components/patch-columns.js';
import { useIntegrationOptions } from '../options.js';
import { usePagedList } from '../use-paged-list.js';
import { exploitabilityLevels, severityLevels } from '../../domain/levels.js';

const flag = [
  { value: 'true', label: 'Yes' },
  { value: 'false', label: 'No' },
];

export function PatchesPage() {
  const list = usePagedList<PatchListItem, DevicesNotImportedPage<PatchListItem>>(
    '/patches',
    [
      'search',
      'severity',
      'exploitability',
      'knownExploit',
      'updateAvailable',
      'networkAccessible',
      'integration',
    ],
    '-severity',
  );
  const integrations = useIntegrationOptions();
  const { url } = list;
  return (
    <section>
      <h1>Patches</h1>
      <div className="filters" role="search" aria-label="Patch filters">
        <TextFilter url={url} name="search" label="Search" placeholder="Vendor, software or update" />
        <SelectFilter
          url={url}
          name="severity"
          label="Defender.SeverityLevel"
          options={[...severityLevels].reverse()}
        />
        <SelectFilter
          url={url}
          name="exploitability"
          label="Defender.ExploitabilityLevel"
          options={[...exploitabilityLevels].reverse()}
        />
        <SelectFilter url={url} name="knownExploit" label="Defender.KnownExploitExists" options={flag} />
        <SelectFilter
          url={url}
          name="updateAvailable"
          label="Defender.SecurityUpdateAvailable"
          options={flag}
        />
        <SelectFilter url={url} name="networkAccessible" label="Defender.NetworkAccessible" options={flag} />
        <SelectFilter url={url} name="integration" label="Integration" options={integrations} />
      </div>
      <ErrorBox error={list.error} />
      <DataTable
        label="Patches"
        columns={patchListColumns}
        rowKey={patchKey}
        storageKey="patches"
        {...list.table}
      />
      {/* Below the table: arriving with the rows, above it the note would push them down. */}
      <DevicesNotImportedNote
        count={list.data?.devicesNotImported}
        counted="the patches count their findings and devices"
      />
    </section>
  );
}
