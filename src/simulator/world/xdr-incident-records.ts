import { iso7 } from '../time.js';
import { mdeEvidence } from './alert-records.js';
import type { AlertState } from './alerts.js';
import type { IncidentState } from './incidents.js';

/** The Microsoft 365 Defender words for an incident's status. */
const XDR_STATUS: Readonly<Record<IncidentState['status'], string>> = {
  active: 'Active',
  inProgress: 'InProgress',
  resolved: 'Resolved',
};

export function xdrIncidentStatus(incident: IncidentState): string {
  return XDR_STATUS[incident.status];
}

/** The entity fields of the incidents API, in the order its published example has them. */
const ENTITY_FIELDS = [
  'entityType',
  'sha1',
  'sha256',
  'fileName',
  'filePath',
  'processId',
  'processCommandLine',
  'processCreationTime',
  'parentProcessId',
  'parentProcessCreationTime',
  'ipAddress',
  'url',
  'accountName',
  'domainName',
  'userSid',
  'aadUserId',
  'userPrincipalName',
  'mailboxDisplayName',
  'mailboxAddress',
  'clusterBy',
  'sender',
  'recipient',
  'subject',
  'deliveryAction',
  'securityGroupId',
  'securityGroupName',
  'registryHive',
  'registryKey',
  'registryValueType',
  'registryValue',
  'deviceId',
] as const;

/** The alert's `/api/alerts` evidence in the incidents API's entity fields; files and processes name the device. */
function entities(seed: number, alert: AlertState): Record<string, unknown>[] {
  return mdeEvidence(seed, alert).map((evidence) => {
    const onDevice = evidence.entityType === 'File' || evidence.entityType === 'Process';
    const entity: Record<string, unknown> = {};
    for (const field of ENTITY_FIELDS) entity[field] = evidence[field] ?? null;
    entity.deviceId = onDevice ? alert.machine.id : null;
    return entity;
  });
}

function device(alert: AlertState): Record<string, unknown> {
  const { machine } = alert;
  const record = machine.record;
  return {
    mdatpDeviceId: machine.id,
    aadDeviceId: record.aadDeviceId ?? null,
    deviceDnsName: machine.computerDnsName,
    osPlatform: machine.platform.osPlatform,
    version: machine.release.version,
    osProcessor: record.osProcessor ?? null,
    osBuild: machine.release.osBuild,
    healthStatus: machine.healthStatus,
    riskScore: record.riskScore ?? null,
    rbacGroupName: machine.rbacGroup.name,
    rbacGroupId: machine.rbacGroup.id,
    firstSeen: iso7(machine.firstSeen),
  };
}

function xdrAlert(seed: number, alert: AlertState): Record<string, unknown> {
  return {
    alertId: alert.id,
    incidentId: alert.incidentId,
    serviceSource: 'MicrosoftDefenderATP',
    creationTime: iso7(alert.created),
    lastUpdatedTime: iso7(alert.lastUpdate),
    resolvedTime: alert.resolved === null ? null : iso7(alert.resolved),
    firstActivity: iso7(alert.firstEvent),
    lastActivity: iso7(alert.lastEvent),
    title: alert.template.title,
    description: alert.template.description,
    category: alert.template.category,
    status: alert.status,
    severity: alert.severity,
    investigationId: alert.investigationId,
    investigationState: alert.investigationState,
    classification: alert.classification,
    determination: alert.determination,
    detectionSource: alert.template.detectionSource,
    assignedTo: alert.assignedTo,
    actorName: null,
    threatFamilyName: alert.template.threatFamilyName,
    mitreTechniques: alert.template.mitreTechniques,
    devices: [device(alert)],
    entities: entities(seed, alert),
  };
}

/**
 * A record of the Microsoft 365 Defender incidents list (`GET /api/incidents`): PascalCase enums, a numeric id, the
 * first alert's verdict (`Unknown` / `NotAvailable` while there is none) and every alert embedded.
 */
export function xdrIncidentRecord(seed: number, incident: IncidentState): Record<string, unknown> {
  const first = incident.first;
  return {
    incidentId: incident.id,
    redirectIncidentId: null,
    incidentName: incident.displayName,
    createdTime: iso7(incident.created),
    lastUpdateTime: iso7(incident.lastUpdate),
    assignedTo: first.assignedTo,
    classification: first.classification ?? 'Unknown',
    determination: first.determination ?? 'NotAvailable',
    status: xdrIncidentStatus(incident),
    severity: incident.severity,
    tags: [],
    comments: [],
    alerts: incident.alerts.map((alert) => xdrAlert(seed, alert)),
  };
}
