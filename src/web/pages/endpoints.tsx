import { Link } from 'react-router';
import type { DevicesNotImportedPage, EndpointSummary } from '../api-types.js';
import { Badge } from '../components/badge.js';
import type { Column } from '../components/data-table.js';
import { DevicesNotImportedNote } from '../components/devices-not-imported.js';
import { ExportLink } from '../components/export-link.js';
import {
  IntegrationFilter,
  RiskLevelFilter,
  SelectFilter,
  TextFilter,
} from '../components/filter-controls.js';
import { ListView } from '../components/list-page.js';
import { formatCount, formatTime, text } from '../format.js';
import { usePagedList } from '../use-paged-list.js';
import { useRequest } from '../use-request.js';
import { entraFilterLabels, entraJoinLabels, isolationLabels } from '../labels.js';

const filters = [
  'search',
  'riskLevel',
  'os',
  'profile',
  'health',
  'integration',
  'isolation',
  'stale',
  'entra',
] as const;

const columns: readonly Column<EndpointSummary>[] = [
  {
    id: 'name',
    header: 'Name',
    sort: 'name',
    cell: (e) => <Link to={`/endpoints/${e.id}`}>{e.computerDnsName ?? e.machineId}</Link>,
  },
  { id: 'risk', header: 'Risk level', sort: 'risk', cell: (e) => <Badge value={e.riskLevel} /> },
  { id: 'os', header: 'OS', sort: 'os', cell: (e) => `${text(e.osPlatform)} ${e.osVersion ?? ''}`.trim() },
  { id: 'findings', header: 'Open findings', cell: (e) => formatCount(e.openFindings) },
  { id: 'health', header: 'Health', cell: (e) => text(e.healthStatus) },
  { id: 'isolation', header: 'Isolation', cell: (e) => <Badge value={isolationLabels[e.isolation.state]} /> },
  { id: 'ip', header: 'Last IP', cell: (e) => text(e.lastIpAddress) },
  { id: 'lastSeen', header: 'Last seen', sort: 'lastSeen', cell: (e) => formatTime(e.lastSeen) },
  { id: 'tags', header: 'Tags', hidden: true, cell: (e) => e.machineTags.join(', ') || '—' },
  { id: 'group', header: 'Device group', hidden: true, cell: (e) => text(e.rbacGroupName) },
  { id: 'exposure', header: 'Exposure level', hidden: true, cell: (e) => text(e.exposureLevel) },
  { id: 'riskScore', header: 'Defender risk score', hidden: true, cell: (e) => text(e.riskScore) },
  { id: 'machineId', header: 'Machine id', hidden: true, cell: (e) => <code>{e.machineId}</code> },
  {
    id: 'entra',
    header: 'Entra ID',
    hidden: true,
    cell: (e) => (e.entraDevice === null ? entraFilterLabels.none : entraJoinLabels[e.entraDevice.joinType]),
  },
];

export function EndpointsPage() {
  const list = usePagedList<EndpointSummary, DevicesNotImportedPage<EndpointSummary>>(
    '/endpoints',
    filters,
    'name',
  );
  // Asked after the table's first answer: on SQLite the hub's reads queue on one connection, and the profile
  // counts (a few hundred ms at 100,000 endpoints) must not hold up the rows.
  const profiles = useRequest<{ items: { name: string }[] }>(list.data === undefined ? null : '/profiles');
  const { url } = list;
  return (
    <ListView
      title="Endpoints"
      filtersLabel="Endpoint filters"
      list={list}
      columns={columns}
      rowKey={(e) => e.id}
      storageKey="endpoints"
      filters={
        <>
          <TextFilter url={url} name="search" label="Search" placeholder="Name, machine id or IP" />
          <RiskLevelFilter url={url} />
          <TextFilter url={url} name="os" label="OS platform" placeholder="e.g. Windows11" />
          <SelectFilter
            url={url}
            name="profile"
            label="Profile"
            options={[...new Set((profiles.data?.items ?? []).map((p) => p.name))]}
          />
          <SelectFilter
            url={url}
            name="health"
            label="Health"
            options={['Active', 'Inactive', 'ImpairedCommunication', 'NoSensorData']}
          />
          <IntegrationFilter url={url} />
          <SelectFilter
            url={url}
            name="isolation"
            label="Isolation"
            options={Object.entries(isolationLabels).map(([value, label]) => ({ value, label }))}
          />
          <SelectFilter
            url={url}
            name="stale"
            label="Listed by Defender"
            options={[{ value: 'true', label: 'No longer listed' }]}
          />
          <SelectFilter
            url={url}
            name="entra"
            label="Entra ID"
            options={Object.entries(entraFilterLabels).map(([value, label]) => ({ value, label }))}
          />
          <ExportLink path="/endpoints/export" query={list.query} />
        </>
      }
    >
      <DevicesNotImportedNote
        count={list.data?.devicesNotImported}
        counted="they are not listed here, and their findings count in Vulnerabilities and Patches"
      />
    </ListView>
  );
}
