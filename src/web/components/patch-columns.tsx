import type { Patch, PatchListItem } from '../api-types.js';
import { Badge } from './badge.js';
import type { Column } from './data-table.js';
import { formatCount, text } from '../format.js';

const yes = (v: boolean): string => (v ? 'Yes' : 'No');

/** A yes-or-no Defender.* field, headed by its name as a strategy's expression writes it. */
function flagColumn(
  id: string,
  name: 'Defender.KnownExploitExists' | 'Defender.SecurityUpdateAvailable' | 'Defender.NetworkAccessible',
): Column<Patch> {
  return { id, header: name, cell: (p) => yes(p.metadata[name]) };
}

/** Patches with their Defender.* metadata, as the Patches page, the dashboard and strategy matches show them. */
export const patchColumns: readonly Column<Patch>[] = [
  {
    id: 'name',
    header: 'Patch',
    sort: 'name',
    cell: (p) =>
      p.fixingUpdateUrl === null ? (
        p.name
      ) : (
        <a href={p.fixingUpdateUrl} target="_blank" rel="noreferrer noopener">
          {p.name}
        </a>
      ),
  },
  { id: 'software', header: 'Software', cell: (p) => `${text(p.softwareVendor)} ${text(p.softwareName)}` },
  {
    id: 'severity',
    header: 'Defender.SeverityLevel',
    sort: 'severity',
    cell: (p) => <Badge value={p.metadata['Defender.SeverityLevel']} />,
  },
  {
    id: 'exploitability',
    header: 'Defender.ExploitabilityLevel',
    sort: 'exploitability',
    cell: (p) => text(p.metadata['Defender.ExploitabilityLevel']),
  },
  flagColumn('known', 'Defender.KnownExploitExists'),
  flagColumn('available', 'Defender.SecurityUpdateAvailable'),
  flagColumn('network', 'Defender.NetworkAccessible'),
  {
    id: 'cvss',
    header: 'Max CVSS',
    sort: 'cvss',
    cell: (p) => (p.maxCvss === null ? '—' : p.maxCvss.toFixed(1)),
  },
  { id: 'cves', header: 'CVEs', sort: 'cves', cell: (p) => formatCount(p.cveCount) },
  {
    id: 'endpoints',
    header: 'Devices',
    sort: 'endpoints',
    // Devices that are not endpoints count too, and are said apart.
    cell: (p) =>
      p.devicesNotImported === 0 ? (
        formatCount(p.endpointCount)
      ) : (
        <>
          {formatCount(p.endpointCount)}{' '}
          <span className="note">({formatCount(p.devicesNotImported)} not imported)</span>
        </>
      ),
  },
];

/** The Patches page's columns: those, and the cloud resources its CVEs expose (GET /patches counts them). */
export const patchListColumns: readonly Column<PatchListItem>[] = [
  ...patchColumns,
  {
    id: 'cloud',
    header: 'Cloud resources',
    cell: (p) => formatCount(p.exposedCloudResources),
  },
];

export const patchKey = (p: Patch): string => `${p.integrationId}|${p.key}`;
