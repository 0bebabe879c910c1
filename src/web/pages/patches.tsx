import type { DevicesNotImportedPage, PatchListItem } from '../api-types.js';
import { DevicesNotImportedNote } from '../components/devices-not-imported.js';
import {
  IntegrationFilter,
  SelectFilter,
  SeverityFilter,
  TextFilter,
  yesNoOptions,
} from '../components/filter-controls.js';
import { ListView } from '../components/list-page.js';
import { patchKey, patchListColumns } from '../components/patch-columns.js';
import { usePagedList } from '../use-paged-list.js';
import { exploitabilityLevels } from '../../domain/levels.js';

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
  const { url } = list;
  return (
    <ListView
      title="Patches"
      filtersLabel="Patch filters"
      list={list}
      columns={patchListColumns}
      rowKey={patchKey}
      storageKey="patches"
      filters={
        <>
          <TextFilter url={url} name="search" label="Search" placeholder="Vendor, software or update" />
          <SeverityFilter url={url} label="Defender.SeverityLevel" />
          <SelectFilter
            url={url}
            name="exploitability"
            label="Defender.ExploitabilityLevel"
            options={[...exploitabilityLevels].reverse()}
          />
          <SelectFilter
            url={url}
            name="knownExploit"
            label="Defender.KnownExploitExists"
            options={yesNoOptions}
          />
          <SelectFilter
            url={url}
            name="updateAvailable"
            label="Defender.SecurityUpdateAvailable"
            options={yesNoOptions}
          />
          <SelectFilter
            url={url}
            name="networkAccessible"
            label="Defender.NetworkAccessible"
            options={yesNoOptions}
          />
          <IntegrationFilter url={url} />
        </>
      }
    >
      <DevicesNotImportedNote
        count={list.data?.devicesNotImported}
        counted="the patches count their findings and devices"
      />
    </ListView>
  );
}
