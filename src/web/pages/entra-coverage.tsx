import type { EntraDevice } from '../api-types.js';
import { Badge } from '../components/badge.js';
import type { Column } from '../components/data-table.js';
import { IntegrationFilter, SelectFilter } from '../components/filter-controls.js';
import { ListPage } from '../components/list-page.js';
import { formatTime, text } from '../format.js';
import { complianceLabel, entraJoinLabels, yesNo } from '../labels.js';

const columns: readonly Column<EntraDevice>[] = [
  { id: 'name', header: 'Device', cell: (d) => text(d.displayName) },
  {
    id: 'os',
    header: 'OS',
    cell: (d) => `${text(d.operatingSystem)} ${d.operatingSystemVersion ?? ''}`.trim(),
  },
  { id: 'trust', header: 'Trust type', cell: (d) => text(d.trustType) },
  { id: 'join', header: 'Join type', cell: (d) => entraJoinLabels[d.joinType] },
  { id: 'lastSignIn', header: 'Last sign-in', cell: (d) => formatTime(d.lastSignInAt) },
  { id: 'compliant', header: 'Compliance', cell: (d) => <Badge value={complianceLabel(d.isCompliant)} /> },
  { id: 'managed', header: 'Managed', hidden: true, cell: (d) => yesNo(d.isManaged) },
  { id: 'enabled', header: 'Account enabled', hidden: true, cell: (d) => yesNo(d.accountEnabled) },
  { id: 'registered', header: 'Registered', hidden: true, cell: (d) => formatTime(d.registeredAt) },
  { id: 'deviceId', header: 'Device id', hidden: true, cell: (d) => <code>{d.deviceId}</code> },
];

/** Graph's trustType values (the API filters by them exactly). */
const trustTypes = ['AzureAd', 'ServerAd', 'Workplace'];

/** The coverage gap: devices in Entra ID that no active Defender endpoint names. */
export function EntraCoveragePage() {
  return (
    <ListPage
      title="Entra coverage"
      path="/entra-devices"
      fixed={{ onboarded: 'false' }}
      filters={['trustType', 'integration']}
      columns={columns}
      rowKey={(d) => `${d.integrationId}|${d.id}`}
      storageKey="entra-coverage"
      intro={
        <p className="note">
          Devices known to Entra ID but not onboarded to Defender for Endpoint: no active endpoint names them.
          Onboard the ones in use; remove stale ones from the directory.
        </p>
      }
      empty="No device is missing from Defender (or the Entra ID devices have not been synced yet)."
      controls={(url) => (
        <>
          <SelectFilter url={url} name="trustType" label="Trust type" options={trustTypes} />
          <IntegrationFilter url={url} />
        </>
      )}
    />
  );
}
