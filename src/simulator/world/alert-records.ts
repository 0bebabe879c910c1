import { rngFor, Stream } from '../random.js';
import { iso7, TICKS_PER_SECOND } from '../time.js';
import { RECOMMENDED_ACTIONS, type EvidenceKind } from './alert-templates.js';
import type { AlertState } from './alerts.js';
import type { IncidentState } from './incidents.js';

/** Evidence facts shared by the MDE and Graph renderings of one alert. */
interface EvidenceFacts {
  readonly sha1: string;
  readonly sha256: string;
  readonly filePath: string;
  readonly processId: number;
  readonly parentProcessId: number;
  readonly parentFileName: string;
}

function evidenceFacts(seed: number, alert: AlertState): EvidenceFacts {
  const rng = rngFor(seed, Stream.alert, alert.index, 4);
  return {
    sha1: rng.hex(40),
    sha256: rng.hex(64),
    filePath:
      alert.template.fileName.endsWith('.exe') && alert.template.fileName !== 'lb3.exe'
        ? 'C:\\Windows\\System32'
        : 'C:\\Users\\Public',
    processId: rng.between(400, 20_000),
    parentProcessId: rng.between(400, 20_000),
    parentFileName: rng.pick(['explorer.exe', 'cmd.exe', 'services.exe', 'winword.exe']),
  };
}

const MDE_EVIDENCE_FIELDS = [
  'sha1',
  'sha256',
  'fileName',
  'filePath',
  'processId',
  'processCommandLine',
  'processCreationTime',
  'parentProcessId',
  'parentProcessCreationTime',
  'parentProcessFileName',
  'parentProcessFilePath',
  'ipAddress',
  'url',
  'registryKey',
  'registryHive',
  'registryValueType',
  'registryValue',
  'accountName',
  'domainName',
  'userSid',
  'aadUserId',
  'userPrincipalName',
  'detectionStatus',
] as const;

const MDE_ENTITY: Record<EvidenceKind, string> = {
  user: 'User',
  process: 'Process',
  file: 'File',
  registry: 'Registry',
};

/** The `/api/alerts` evidence of an alert (the incidents API shows the same entities in its own fields). */
export function mdeEvidence(seed: number, alert: AlertState): Record<string, unknown>[] {
  const facts = evidenceFacts(seed, alert);
  return alert.template.evidence.map((kind) => {
    const item: Record<string, unknown> = {
      entityType: MDE_ENTITY[kind],
      evidenceCreationTime: iso7(alert.created + TICKS_PER_SECOND),
    };
    for (const field of MDE_EVIDENCE_FIELDS) item[field] = null;
    if (kind === 'user' && alert.user !== null) Object.assign(item, alert.user);
    if (kind === 'process' || kind === 'file') {
      Object.assign(item, {
        sha1: facts.sha1,
        sha256: facts.sha256,
        fileName: alert.template.fileName,
        filePath: facts.filePath,
        detectionStatus: 'Detected',
      });
    }
    if (kind === 'process') {
      Object.assign(item, {
        processId: facts.processId,
        processCommandLine: alert.template.commandLine,
        processCreationTime: iso7(alert.firstEvent),
        parentProcessId: facts.parentProcessId,
        parentProcessCreationTime: iso7(alert.firstEvent - 30 * TICKS_PER_SECOND),
        parentProcessFileName: facts.parentFileName,
        parentProcessFilePath: 'C:\\Windows\\System32',
      });
    }
    if (kind === 'registry') {
      Object.assign(item, {
        registryKey: 'SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run',
        registryHive: 'HKEY_CURRENT_USER',
        registryValueType: 'String',
        registryValue: 'C:\\Users\\Public\\u.exe',
      });
    }
    return item;
  });
}

/** The `/api/alerts` record; evidence is only filled with `$expand=evidence`, as the service does. */
export function mdeAlertRecord(
  seed: number,
  tenantId: string,
  alert: AlertState,
  withEvidence: boolean,
): Record<string, unknown> {
  return {
    id: alert.id,
    incidentId: alert.incidentId,
    investigationId: alert.investigationId,
    assignedTo: alert.assignedTo,
    severity: alert.severity,
    status: alert.status,
    classification: alert.classification,
    determination: alert.determination,
    investigationState: alert.investigationState,
    detectionSource: alert.template.detectionSource,
    detectorId: alert.detectorId,
    category: alert.template.category,
    threatFamilyName: alert.template.threatFamilyName,
    title: alert.template.title,
    description: alert.template.description,
    alertCreationTime: iso7(alert.created),
    firstEventTime: iso7(alert.firstEvent),
    lastEventTime: iso7(alert.lastEvent),
    lastUpdateTime: iso7(alert.lastUpdate),
    resolvedTime: alert.resolved === null ? null : iso7(alert.resolved),
    machineId: alert.machine.id,
    computerDnsName: alert.machine.computerDnsName,
    rbacGroupName: alert.machine.rbacGroup.name,
    aadTenantId: tenantId,
    threatName: null,
    mitreTechniques: alert.template.mitreTechniques,
    relatedUser:
      alert.user === null ? null : { userName: alert.user.accountName, domainName: alert.user.domainName },
    comments: alertComments(alert),
    evidence: withEvidence ? mdeEvidence(seed, alert) : [],
  };
}

function alertComments(alert: AlertState): Record<string, unknown>[] {
  if (alert.assignedTo === null) return [];
  return [
    {
      comment: 'Investigating, device owner contacted.',
      createdBy: alert.assignedTo,
      createdTime: iso7(alert.lastUpdate - TICKS_PER_SECOND),
    },
  ];
}

/** `Malware` → `malware`, `TruePositive` → `truePositive`, null → `unknown`: Graph's camelCase enum members. */
export function graphEnum(value: string | null): string {
  return value === null ? 'unknown' : value.charAt(0).toLowerCase() + value.slice(1);
}

const GRAPH_DETECTION_SOURCE: Record<string, string> = {
  WindowsDefenderAv: 'antivirus',
  WindowsDefenderAtp: 'microsoftDefenderForEndpoint',
  WindowsDefenderSmartScreen: 'smartScreen',
  CustomDetection: 'customDetection',
};

export function graphSeverity(alert: AlertState): string {
  return graphEnum(alert.severity);
}

export function graphStatus(alert: AlertState): string {
  return graphEnum(alert.status);
}

function graphEvidence(seed: number, alert: AlertState): Record<string, unknown>[] {
  const facts = evidenceFacts(seed, alert);
  const common = {
    createdDateTime: iso7(alert.created),
    verdict: 'suspicious',
    remediationStatus: 'none',
    remediationStatusDetails: null,
  };
  const machine = alert.machine.record;
  const file = {
    sha1: facts.sha1,
    sha256: facts.sha256,
    fileName: alert.template.fileName,
    filePath: facts.filePath,
    fileSize: 100_000 + ((facts.processId * 97) % 5_000_000),
    filePublisher: null,
    signer: null,
    issuer: null,
  };
  const evidence: Record<string, unknown>[] = [
    {
      '@odata.type': '#microsoft.graph.security.deviceEvidence',
      ...common,
      verdict: 'unknown',
      firstSeenDateTime: machine.firstSeen,
      mdeDeviceId: alert.machine.id,
      azureAdDeviceId: machine.aadDeviceId,
      deviceDnsName: alert.machine.computerDnsName,
      osPlatform: alert.machine.platform.osPlatform,
      osBuild: alert.machine.release.osBuild,
      version: alert.machine.release.version,
      healthStatus: graphEnum(alert.machine.healthStatus),
      riskScore: graphEnum(String(machine.riskScore)),
      rbacGroupId: alert.machine.rbacGroup.id,
      rbacGroupName: alert.machine.rbacGroup.name,
      onboardingStatus: graphEnum(alert.machine.onboardingStatus),
      defenderAvStatus: 'updated',
      loggedOnUsers:
        alert.user === null
          ? []
          : [{ accountName: alert.user.accountName, domainName: alert.user.domainName }],
      roles: ['compromised'],
      tags: machine.machineTags,
      vmMetadata: machine.vmMetadata,
    },
  ];
  for (const kind of alert.template.evidence) {
    if (kind === 'file') {
      evidence.push({
        '@odata.type': '#microsoft.graph.security.fileEvidence',
        ...common,
        detectionStatus: 'detected',
        mdeDeviceId: alert.machine.id,
        roles: [],
        tags: [],
        fileDetails: file,
      });
    } else if (kind === 'process') {
      evidence.push({
        '@odata.type': '#microsoft.graph.security.processEvidence',
        ...common,
        processId: facts.processId,
        parentProcessId: facts.parentProcessId,
        processCommandLine: alert.template.commandLine,
        processCreationDateTime: iso7(alert.firstEvent),
        parentProcessCreationDateTime: iso7(alert.firstEvent - 30 * TICKS_PER_SECOND),
        detectionStatus: 'detected',
        mdeDeviceId: alert.machine.id,
        roles: [],
        tags: [],
        imageFile: file,
        parentProcessImageFile: {
          ...file,
          sha1: null,
          sha256: null,
          fileName: facts.parentFileName,
          filePath: 'C:\\Windows\\System32',
        },
        userAccount:
          alert.user === null
            ? {
                accountName: 'SYSTEM',
                domainName: 'NT AUTHORITY',
                userSid: 'S-1-5-18',
                azureAdUserId: null,
                userPrincipalName: null,
              }
            : {
                accountName: alert.user.accountName,
                domainName: alert.user.domainName,
                userSid: alert.user.userSid,
                azureAdUserId: alert.user.aadUserId,
                userPrincipalName: alert.user.userPrincipalName,
              },
      });
    } else if (kind === 'registry') {
      evidence.push({
        '@odata.type': '#microsoft.graph.security.registryKeyEvidence',
        ...common,
        registryKey: 'SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run',
        registryHive: 'HKEY_CURRENT_USER',
        roles: [],
        tags: [],
      });
    } else if (alert.user !== null) {
      evidence.push({
        '@odata.type': '#microsoft.graph.security.userEvidence',
        ...common,
        roles: [],
        tags: [],
        userAccount: {
          accountName: alert.user.accountName,
          domainName: alert.user.domainName,
          userSid: alert.user.userSid,
          azureAdUserId: alert.user.aadUserId,
          userPrincipalName: alert.user.userPrincipalName,
        },
      });
    }
  }
  return evidence;
}

/** The Graph `alerts_v2` record (camelCase enums, web links, typed evidence). */
export function graphAlertRecord(seed: number, tenantId: string, alert: AlertState): Record<string, unknown> {
  return {
    '@odata.type': '#microsoft.graph.security.alert',
    id: alert.id,
    providerAlertId: alert.id,
    incidentId: String(alert.incidentId),
    status: graphStatus(alert),
    severity: graphSeverity(alert),
    classification: graphEnum(alert.classification),
    determination: graphEnum(alert.determination),
    serviceSource: 'microsoftDefenderForEndpoint',
    detectionSource: GRAPH_DETECTION_SOURCE[alert.template.detectionSource] ?? 'unknown',
    detectorId: alert.detectorId,
    tenantId,
    title: alert.template.title,
    description: alert.template.description,
    recommendedActions: RECOMMENDED_ACTIONS,
    category: alert.template.category,
    assignedTo: alert.assignedTo,
    alertWebUrl: `https://security.microsoft.com/alerts/${alert.id}?tid=${tenantId}`,
    incidentWebUrl: `https://security.microsoft.com/incidents/${alert.incidentId}?tid=${tenantId}`,
    actorDisplayName: null,
    threatDisplayName: alert.template.threatFamilyName,
    threatFamilyName: alert.template.threatFamilyName,
    mitreTechniques: alert.template.mitreTechniques,
    createdDateTime: iso7(alert.created),
    lastUpdateDateTime: iso7(alert.lastUpdate),
    resolvedDateTime: alert.resolved === null ? null : iso7(alert.resolved),
    firstActivityDateTime: iso7(alert.firstEvent),
    lastActivityDateTime: iso7(alert.lastEvent),
    comments: alertComments(alert),
    evidence: graphEvidence(seed, alert),
  };
}

/** The Graph `incidents` record; `$expand=alerts` adds the alerts. */
export function graphIncidentRecord(
  seed: number,
  tenantId: string,
  incident: IncidentState,
  expandAlerts: boolean,
): Record<string, unknown> {
  const first = incident.first;
  const record: Record<string, unknown> = {
    '@odata.type': '#microsoft.graph.security.incident',
    id: String(incident.id),
    incidentWebUrl: `https://security.microsoft.com/incidents/${incident.id}?tid=${tenantId}`,
    redirectIncidentId: null,
    tenantId,
    displayName: incident.displayName,
    createdDateTime: iso7(incident.created),
    lastUpdateDateTime: iso7(incident.lastUpdate),
    assignedTo: first.assignedTo,
    classification: graphEnum(first.classification),
    determination: graphEnum(first.determination),
    status: incident.status,
    severity: graphEnum(incident.severity),
    customTags: [],
    comments: [],
    systemTags: [],
    description: first.template.description,
  };
  if (expandAlerts) record.alerts = incident.alerts.map((alert) => graphAlertRecord(seed, tenantId, alert));
  return record;
}
