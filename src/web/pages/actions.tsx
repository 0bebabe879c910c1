import { Link } from 'react-router';
import type { Action } from '../api-types.js';
import { DataTable, type Column } from '../components/data-table.js';
import { ErrorBox } from '../components/error-box.js';
import { IntegrationFilter, SelectFilter } from '../components/filter-controls.js';
import { whileActionsUnderWay } from '../live.js';
import { usePagedList } from '../use-paged-list.js';
import { actionColumns } from '../components/action-columns.js';

const columns: readonly Column<Action>[] = [
  {
    id: 'device',
    header: 'Device',
    cell: (a) =>
      a.endpointId === null ? (
        (a.computerDnsName ?? a.machineId)
      ) : (
        <Link to={`/endpoints/${a.endpointId}/actions`}>{a.computerDnsName ?? a.machineId}</Link>
      ),
  },
  ...actionColumns,
];

export function ActionsPage() {
  const list = usePagedList<Action>(
    '/actions',
    ['type', 'status', 'integration'],
    undefined,
    {},
    { poll: whileActionsUnderWay },
  );
  return (
    <section>
      <h1>Response actions</h1>
      <div className="filters" role="search" aria-label="Action filters">
        <SelectFilter
          url={list.url}
          name="type"
          label="Type"
          options={['RunAntiVirusScan', 'Isolate', 'Unisolate', 'CollectInvestigationPackage']}
        />
        <SelectFilter
          url={list.url}
          name="status"
          label="State"
          options={['Pending', 'InProgress', 'Succeeded', 'Failed', 'Cancelled', 'TimeOut']}
        />
        <IntegrationFilter url={list.url} />
      </div>
      <ErrorBox error={list.error} />
      <DataTable label="Response actions" columns={columns} rowKey={(a) => a.id} {...list.table} />
    </section>
  );
}
