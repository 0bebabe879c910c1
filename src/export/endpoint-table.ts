import type { IsolationState } from '../domain/isolation.js';
import type { ExportRecord } from '../store/index.js';
import type { EndpointSummary } from '../store/index.js';

/**
 * The endpoint list as its table shows it, for `GET /endpoints/export`: the columns a user sees, in the table's
 * order, with the isolation state. (The CLI's `endpoints` export source is the full stored record instead.)
 */
export const endpointTableColumns = [
  'id',
  'computerDnsName',
  'machineId',
  'osPlatform',
  'osVersion',
  'riskLevel',
  'healthStatus',
  'exposureLevel',
  'riskScore',
  'openFindings',
  'lastIpAddress',
  'lastSeen',
  'machineTags',
  'rbacGroupName',
  'integrationId',
  'isolation',
] as const;

export function endpointTableRecord(endpoint: EndpointSummary & { isolation: IsolationState }): ExportRecord {
  return {
    id: endpoint.id,
    computerDnsName: endpoint.computerDnsName,
    machineId: endpoint.machineId,
    osPlatform: endpoint.osPlatform,
    osVersion: endpoint.osVersion,
    riskLevel: endpoint.riskLevel,
    healthStatus: endpoint.healthStatus,
    exposureLevel: endpoint.exposureLevel,
    riskScore: endpoint.riskScore,
    openFindings: endpoint.openFindings,
    lastIpAddress: endpoint.lastIpAddress,
    lastSeen: endpoint.lastSeen,
    machineTags: endpoint.machineTags,
    rbacGroupName: endpoint.rbacGroupName,
    integrationId: endpoint.integrationId,
    isolation: endpoint.isolation.state,
  } satisfies Record<(typeof endpointTableColumns)[number], ExportRecord[string]>;
}
