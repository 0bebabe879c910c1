import { Link } from 'react-router';
import { withQuery } from '../api.js';
import type { DevicesNotImportedPage, Vulnerability } from '../api-types.js';
import { Badge } from '../components/badge.js';
import { DevicesNotImportedNote } from '../components/devices-not-imported.js';
import { PortalLink } from '../components/portal-link.js';
import type { Column } from '../components/data-table.js';
import {
  IntegrationFilter,
  NetworkAccessibleFilter,
  SeverityFilter,
  TextFilter,
} from '../components/filter-controls.js';
import { ListView } from '../components/list-page.js';
import { formatCount, text } from '../format.js';
import { usePagedList } from '../use-paged-list.js';
import { yesNo } from '../labels.js';

const yes = (v: boolean): string => (v ? 'Yes' : 'No');

const columns: readonly Column<Vulnerability>[] = [
  {
    id: 'cve',
    header: 'CVE',
    sort: 'cveId',
    cell: (v) => (
      <PortalLink href={v.portalUrl}>
        <code>{v.cveId}</code>
      </PortalLink>
    ),
  },
  { id: 'name', header: 'Name', cell: (v) => text(v.name) },
  { id: 'severity', header: 'Severity', sort: 'severity', cell: (v) => <Badge value={v.severity} /> },
  {
    id: 'cvss',
    header: 'CVSS v3',
    sort: 'cvssV3',
    cell: (v) => (v.cvssV3 === null ? '—' : v.cvssV3.toFixed(1)),
  },
  { id: 'exploit', header: 'Public exploit', cell: (v) => yes(v.publicExploit) },
  { id: 'network', header: 'Network accessible', cell: (v) => yesNo(v.networkAccessible) },
  { id: 'verified', header: 'Exploit verified', hidden: true, cell: (v) => yes(v.exploitVerified) },
  { id: 'kit', header: 'In exploit kit', hidden: true, cell: (v) => yes(v.exploitInKit) },
  { id: 'epss', header: 'EPSS', hidden: true, cell: (v) => (v.epss === null ? '—' : v.epss.toFixed(3)) },
  {
    id: 'exposed',
    header: 'Exposed devices',
    sort: 'exposedEndpoints',
    cell: (v) => formatCount(v.exposedEndpoints),
  },
  {
    id: 'cloud',
    header: 'Cloud resources',
    sort: 'exposedCloudResources',
    cell: (v) =>
      v.exposedCloudResources === 0 ? (
        formatCount(0)
      ) : (
        <Link
          to={withQuery('/cloud/resources', { cve: v.cveId })}
          aria-label={`${formatCount(v.exposedCloudResources)} cloud resources exposed to ${v.cveId}`}
        >
          {formatCount(v.exposedCloudResources)}
        </Link>
      ),
  },
];

export function VulnerabilitiesPage() {
  const list = usePagedList<Vulnerability, DevicesNotImportedPage<Vulnerability>>(
    '/vulnerabilities',
    ['search', 'severity', 'networkAccessible', 'integration'],
    '-exposedEndpoints',
  );
  return (
    <ListView
      title="Vulnerabilities"
      filtersLabel="Vulnerability filters"
      list={list}
      columns={columns}
      rowKey={(v) => v.cveId}
      storageKey="vulnerabilities"
      filters={
        <>
          <TextFilter url={list.url} name="search" label="Search" placeholder="CVE id or name" />
          <SeverityFilter url={list.url} label="Severity" />
          <NetworkAccessibleFilter url={list.url} />
          <IntegrationFilter url={list.url} />
        </>
      }
    >
      <DevicesNotImportedNote
        count={list.data?.devicesNotImported}
        counted="their findings count among the exposed devices"
      />
    </ListView>
  );
}
