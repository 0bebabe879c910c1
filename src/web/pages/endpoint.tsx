import type { ReactNode } from 'react';
import { Link, NavLink, useParams } from 'react-router';
import type { EndpointDetail, Finding, Integration, Software } from '../api-types.js';
import { Badge } from '../components/badge.js';
import { DataTable, type Column } from '../components/data-table.js';
import { ErrorBox } from '../components/error-box.js';
import { actionColumns } from '../components/action-columns.js';
import { alertColumns } from '../components/alert-columns.js';
import { EndpointActions } from '../components/endpoint-actions.js';
import { NetworkAccessibleFilter } from '../components/filter-controls.js';
import { PortalLink } from '../components/portal-link.js';
import type { Page } from '../api.js';
import { formatCount, formatTime, text } from '../format.js';
import { whileActionsUnderWay, whileIsolationPending } from '../live.js';
import { usePagedList } from '../use-paged-list.js';
import type { useUrlState } from '../url-state.js';
import { useRequest, type RequestOptions } from '../use-request.js';
import { complianceLabel, entraJoinLabels, isolationLabels, yesNo } from '../labels.js';

type UrlState = ReturnType<typeof useUrlState>;

const tabs = [
  { id: 'overview', label: 'Overview' },
  { id: 'risk', label: 'Risk' },
  { id: 'vulnerabilities', label: 'Vulnerabilities' },
  { id: 'software', label: 'Software' },
  { id: 'alerts', label: 'Alerts' },
  { id: 'actions', label: 'Actions' },
] as const;

function Fields({ rows }: { rows: readonly [string, ReactNode][] }) {
  return (
    <dl className="fields">
      {rows.map(([name, value]) => (
        <div key={name}>
          <dt>{name}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

/** The endpoint's device in Entra ID (joined by aadDeviceId), or that the directory has none. */
function EntraDeviceFields({ device }: { device: EndpointDetail['entraDevice'] }) {
  return (
    <section aria-label="Entra ID device" className="entra-device">
      <h2>Entra ID device</h2>
      {device === null ? (
        <p className="note">
          Not in Entra ID: no synced Entra ID device has this endpoint&apos;s Entra device id.
        </p>
      ) : (
        <Fields
          rows={[
            ['Device name', text(device.displayName)],
            ['Join type', entraJoinLabels[device.joinType]],
            ['Trust type', text(device.trustType)],
            ['Compliance', <Badge key="c" value={complianceLabel(device.isCompliant)} />],
            ['Managed', yesNo(device.isManaged)],
            ['Last sign-in', formatTime(device.lastSignInAt)],
          ]}
        />
      )}
    </section>
  );
}

function Overview({ endpoint }: { endpoint: EndpointDetail }) {
  const ips = endpoint.ipAddresses
    .map((ip) => ip.ipAddress)
    .filter((ip): ip is string => typeof ip === 'string');
  return (
    <>
      <Fields
        rows={[
          ['DNS name', text(endpoint.computerDnsName)],
          ['Machine id', <code key="id">{endpoint.machineId}</code>],
          ['Entra device id', text(endpoint.aadDeviceId)],
          ['IP addresses', ips.length === 0 ? text(endpoint.lastIpAddress) : [...new Set(ips)].join(', ')],
          ['External IP', text(endpoint.lastExternalIpAddress)],
          ['OS', `${text(endpoint.osPlatform)} ${endpoint.osVersion ?? ''} ${endpoint.osBuild ?? ''}`.trim()],
          ['Profiles', endpoint.profiles.map((p) => p.name).join(', ') || '—'],
          ['Tags', endpoint.machineTags.join(', ') || '—'],
          ['Device group', text(endpoint.rbacGroupName)],
          ['Health', text(endpoint.healthStatus)],
          ['First seen', formatTime(endpoint.firstSeen)],
          ['Last seen', formatTime(endpoint.lastSeen)],
          ['Isolation', <Badge key="iso" value={isolationLabels[endpoint.isolation.state]} />],
          [
            'In Defender',
            <PortalLink key="portal" href={endpoint.defender.overviewUrl}>
              Device page in Defender
            </PortalLink>,
          ],
        ]}
      />
      <EntraDeviceFields device={endpoint.entraDevice} />
    </>
  );
}

function DefenderRisk({ endpoint }: { endpoint: EndpointDetail }) {
  const d = endpoint.defender;
  return (
    <section aria-label="Microsoft Defender risk" className="defender-risk">
      <Fields
        rows={[
          [
            'Most severe vulnerability',
            d.worstVulnerability === null ? (
              'No open vulnerabilities'
            ) : (
              <span className="worst" key="worst">
                <strong>{d.worstVulnerability.id}</strong>
                <span className="description">
                  {d.worstVulnerability.description ?? 'Defender gave no description.'}
                </span>
              </span>
            ),
          ],
          ['Exposure Risk Level', <Badge key="exposure" value={d.exposureRiskLevel} />],
          [
            'Vulnerabilities',
            <PortalLink key="vulns" href={d.vulnerabilitiesUrl}>
              {formatCount(d.vulnerabilityCount)} vulnerabilities
            </PortalLink>,
          ],
          ['Risk Level', <Badge key="alert" value={d.alertRiskLevel} />],
          [
            'Alerts',
            <PortalLink key="alerts" href={d.alertsUrl}>
              Alerts in Defender
            </PortalLink>,
          ],
          [
            'Device',
            <PortalLink key="overview" href={d.overviewUrl}>
              Device page in Defender
            </PortalLink>,
          ],
          ["Defender's risk score", text(d.riskScore)],
          ["Defender's exposure level", text(d.exposureLevel)],
          ['Security recommendations', formatCount(d.recommendations)],
          [
            'Exposure score (organisation)',
            d.exposureScore.organisation === null ? '—' : d.exposureScore.organisation.toFixed(1),
          ],
        ]}
      />
    </section>
  );
}

function RiskTab({ endpoint, subtab }: { endpoint: EndpointDetail; subtab: string | undefined }) {
  const base = `/endpoints/${endpoint.id}/risk`;
  return (
    <>
      <nav className="subtabs" aria-label="Risk sources">
        <NavLink to={base} end>
          Summary
        </NavLink>
        <NavLink to={`${base}/defender`}>Microsoft Defender</NavLink>
      </nav>
      {subtab === 'defender' ? (
        <DefenderRisk endpoint={endpoint} />
      ) : (
        <Fields
          rows={[
            ['Risk level', <Badge key="r" value={endpoint.riskLevel} label="Risk level" />],
            ['From vulnerabilities', <Badge key="e" value={endpoint.riskParts.exposure} />],
            ['From alerts', <Badge key="a" value={endpoint.riskParts.alert} />],
            ["From Defender's risk score", <Badge key="s" value={endpoint.riskParts.riskScore} />],
            ["From Defender's exposure level", <Badge key="x" value={endpoint.riskParts.exposureLevel} />],
            ['Open findings', formatCount(endpoint.openFindings)],
            ['Alerts', formatCount(endpoint.alerts)],
          ]}
        />
      )}
    </>
  );
}

const findingColumns: readonly Column<Finding>[] = [
  { id: 'cve', header: 'CVE', cell: (f) => <Link to={`/vulnerabilities?search=${f.cveId}`}>{f.cveId}</Link> },
  { id: 'severity', header: 'Severity', cell: (f) => <Badge value={f.severity} /> },
  { id: 'cvss', header: 'CVSS', cell: (f) => (f.cvssScore === null ? '—' : f.cvssScore.toFixed(1)) },
  { id: 'software', header: 'Software', cell: (f) => `${text(f.softwareName)} ${f.softwareVersion ?? ''}` },
  { id: 'exploit', header: 'Exploitability', cell: (f) => text(f.exploitabilityLevel) },
  {
    id: 'network',
    header: 'Network accessible',
    cell: (f) => yesNo(f.networkAccessible),
  },
  { id: 'fix', header: 'Fix', cell: (f) => text(f.fixingUpdate ?? f.fixingUpdateId) },
  { id: 'status', header: 'Status', cell: (f) => f.status },
  { id: 'firstSeen', header: 'First seen', cell: (f) => formatTime(f.firstSeen) },
];

const softwareColumns: readonly Column<Software>[] = [
  { id: 'name', header: 'Software', cell: (s) => `${text(s.softwareVendor)} ${text(s.softwareName)}` },
  { id: 'version', header: 'Version', cell: (s) => text(s.softwareVersion) },
  { id: 'vulns', header: 'Open vulnerabilities', cell: (s) => formatCount(s.openVulnerabilities) },
  {
    id: 'update',
    header: 'Update available',
    cell: (s) => (s.updateAvailable === null ? '—' : s.updateAvailable ? 'Yes' : 'No'),
  },
];

function SubList<T>({
  path,
  query = {},
  label,
  columns,
  rowKey,
  poll,
  filters,
}: {
  path: string;
  query?: Readonly<Record<string, string | number>>;
  label: string;
  columns: readonly Column<T>[];
  rowKey: (row: T) => string | number;
  /** For the one tab whose rows change on their own: the actions. */
  poll?: RequestOptions<Page<T>>['poll'];
  /** The tab's filters (URL parameters) and their controls. */
  filters?: { readonly names: readonly string[]; readonly controls: (url: UrlState) => ReactNode };
}) {
  const list = usePagedList<T>(
    path,
    filters?.names ?? [],
    undefined,
    query,
    poll === undefined ? {} : { poll },
  );
  return (
    <>
      {filters === undefined ? null : (
        <div className="filters" role="search" aria-label={`${label} filters`}>
          {filters.controls(list.url)}
        </div>
      )}
      <ErrorBox error={list.error} />
      <DataTable label={label} columns={columns} rowKey={rowKey} {...list.table} />
    </>
  );
}

function TabBody({
  endpoint,
  tab,
  subtab,
}: {
  endpoint: EndpointDetail;
  tab: string;
  subtab: string | undefined;
}) {
  const base = `/endpoints/${endpoint.id}`;
  switch (tab) {
    case 'risk':
      return <RiskTab endpoint={endpoint} subtab={subtab} />;
    case 'vulnerabilities':
      return (
        <SubList
          path={`${base}/vulnerabilities`}
          label="Vulnerabilities"
          columns={findingColumns}
          rowKey={(f) => f.id}
          filters={{
            names: ['networkAccessible'],
            controls: (url) => <NetworkAccessibleFilter url={url} />,
          }}
        />
      );
    case 'software':
      return (
        <SubList
          path={`${base}/software`}
          label="Software"
          columns={softwareColumns}
          rowKey={(s) => `${s.softwareVendor ?? ''}|${s.softwareName ?? ''}|${s.softwareVersion ?? ''}`}
        />
      );
    case 'alerts':
      return <SubList path={`${base}/alerts`} label="Alerts" columns={alertColumns} rowKey={(a) => a.id} />;
    case 'actions':
      return (
        <SubList
          path="/actions"
          query={{ endpoint: endpoint.id }}
          label="Actions"
          columns={actionColumns}
          rowKey={(a) => a.id}
          poll={whileActionsUnderWay}
        />
      );
    default:
      return <Overview endpoint={endpoint} />;
  }
}

export function EndpointPage() {
  const params = useParams();
  const id = params.id ?? '';
  const tab = params.tab ?? 'overview';
  // Whoever asked for an isolation or a release (here, another tab, the CLI), the badge follows it to its end.
  const endpoint = useRequest<EndpointDetail>(`/endpoints/${encodeURIComponent(id)}`, {
    poll: whileIsolationPending,
  });
  const integration = useRequest<Integration>(
    endpoint.data === undefined ? null : `/integrations/${encodeURIComponent(endpoint.data.integrationId)}`,
  );
  const e = endpoint.data;
  return (
    <section>
      <p className="crumbs">
        <Link to="/endpoints">Endpoints</Link>
      </p>
      <ErrorBox error={endpoint.error} />
      {e === undefined ? (
        endpoint.error === undefined ? (
          <p className="placeholder">Loading…</p>
        ) : null
      ) : (
        <>
          <header className="endpoint-head">
            <h1>{e.computerDnsName ?? e.machineId}</h1>
            <Badge value={e.riskLevel} label="Risk level" />
            <Badge value={isolationLabels[e.isolation.state]} label="Isolation state" />
          </header>
          <EndpointActions endpoint={e} integration={integration.data} />
          <nav className="tabs" aria-label="Endpoint sections">
            {tabs.map((t) => (
              <NavLink
                key={t.id}
                to={t.id === 'overview' ? `/endpoints/${e.id}` : `/endpoints/${e.id}/${t.id}`}
                end={t.id === 'overview'}
              >
                {t.label}
              </NavLink>
            ))}
          </nav>
          {/* A tab of its own each: the tabs' tables differ, and one table's chosen columns are not another's. */}
          <TabBody key={tab} endpoint={e} tab={tab} subtab={params.subtab} />
        </>
      )}
    </section>
  );
}
