import { GRAPH_ROLES, MDE_ROLES, XDR_ROLES } from '../auth/roles.js';
import type { SimulatorControl } from '../control.js';
import { getAlert, listAlerts } from '../routes/alerts.js';
import { listApplications } from '../routes/applications.js';
import { armRoutes } from '../routes/arm.js';
import { openIdConfiguration, signingKeys } from '../routes/entra-discovery.js';
import { tokenHandler } from '../routes/entra-token.js';
import { listDevices, truthDevicesRoute } from '../routes/devices.js';
import { exportByMachine, exportChanges } from '../routes/export-json.js';
import { exportBlob, exportFiles } from '../routes/export-files.js';
import { listGraphAlerts, listGraphIncidents } from '../routes/graph-security.js';
import type { Handler } from '../routes/handler.js';
import { huntingRoutes } from '../routes/hunting.js';
import { getMachineAction, listMachineActions } from '../routes/machine-actions.js';
import { cancelAction, createActionHandler } from '../routes/response-actions.js';
import { getMachine, listMachines } from '../routes/machines.js';
import { simRoutes } from '../routes/sim-control.js';
import {
  exposureScore,
  exposureScoreByMachineGroups,
  getRecommendation,
  listRecommendations,
  recommendationMachineReferences,
} from '../routes/recommendations.js';
import {
  getSoftware,
  listSoftware,
  machineSoftware,
  softwareDistributions,
  softwareMachineReferences,
  softwareVulnerabilities,
} from '../routes/software.js';
import {
  truthExposureScoreRoute,
  truthSoftwareMachinesRoute,
  truthSoftwareRoute,
} from '../routes/software-truth.js';
import { getVulnerability, listVulnerabilities, machineVulnerabilities } from '../routes/vulnerabilities.js';
import { listXdrIncidents } from '../routes/xdr-incidents.js';
import type { Surface } from './exchange.js';
import type { RateClass } from './rate-limiter.js';

type MdeRole = (typeof MDE_ROLES)[number];
type GraphRole = (typeof GRAPH_ROLES)[number];
type XdrRole = (typeof XDR_ROLES)[number];

export interface Route {
  readonly method: 'GET' | 'POST';
  readonly pattern: RegExp;
  /** Stable name for stats, e.g. `GET /api/machines/{id}`. */
  readonly name: string;
  readonly surface: Surface;
  /**
   * Any one of these app roles lets the call through. Empty on an MDE route whose role depends on the record
   * (cancelling an action needs the role of that action): the handler checks it.
   */
  readonly roles: readonly string[];
  readonly rateClass: RateClass | undefined;
  readonly handler: Handler;
  /** The 403 for a token without the roles, where the API's answer is not its usual "missing roles" text. */
  readonly refusal?: { readonly code: string; readonly message: string };
}

function mde(
  name: string,
  pattern: RegExp,
  roles: readonly MdeRole[],
  rateClass: RateClass,
  handler: Handler,
): Route {
  return { method: 'GET', pattern, name: `GET ${name}`, surface: 'mde', roles, rateClass, handler };
}

/** A Microsoft 365 Defender read: on the Defender host, with that API's own token and roles. */
function xdr(
  name: string,
  pattern: RegExp,
  roles: readonly XdrRole[],
  rateClass: RateClass,
  handler: Handler,
): Route {
  return { method: 'GET', pattern, name: `GET ${name}`, surface: 'xdr', roles, rateClass, handler };
}

/** A response action: POST, counted in the same class as the other MDE calls (100/min, 1,500/h). */
function mdeAction(name: string, pattern: RegExp, roles: readonly MdeRole[], handler: Handler): Route {
  return {
    method: 'POST',
    pattern,
    name: `POST ${name}`,
    surface: 'mde',
    roles,
    rateClass: 'default',
    handler,
  };
}

function graph(name: string, pattern: RegExp, roles: readonly GraphRole[], handler: Handler): Route {
  return {
    method: 'GET',
    pattern,
    name: `GET ${name}`,
    surface: 'graph',
    roles,
    rateClass: 'graph',
    handler,
  };
}

/**
 * A Graph directory read (app registrations). Directory APIs refuse a token without the role with their own
 * 403, which names no role: `Authorization_RequestDenied`, "Insufficient privileges to complete the operation."
 */
function directory(name: string, pattern: RegExp, roles: readonly GraphRole[], handler: Handler): Route {
  return {
    ...graph(name, pattern, roles, handler),
    refusal: {
      code: 'Authorization_RequestDenied',
      message: 'Insufficient privileges to complete the operation.',
    },
  };
}

/** Advanced hunting (Graph or MDE): a POST counted in the hunting class (45/min, 1,500/h). */
function hunting(
  surface: 'mde' | 'graph',
  name: string,
  pattern: RegExp,
  roles: readonly (MdeRole | GraphRole)[],
  handler: Handler,
): Route {
  return { method: 'POST', pattern, name: `POST ${name}`, surface, roles, rateClass: 'hunting', handler };
}

function open(
  method: 'GET' | 'POST',
  name: string,
  pattern: RegExp,
  surface: Surface,
  handler: Handler,
): Route {
  return { method, pattern, name: `${method} ${name}`, surface, roles: [], rateClass: undefined, handler };
}

const MACHINE_READ: readonly MdeRole[] = ['Machine.Read.All', 'Machine.ReadWrite.All'];
const VULNERABILITY_READ: readonly MdeRole[] = ['Vulnerability.Read.All'];
const ALERT_READ: readonly MdeRole[] = ['Alert.Read.All', 'Alert.ReadWrite.All'];
const SOFTWARE_READ: readonly MdeRole[] = ['Software.Read.All'];
// The page names Vulnerability.Read.All while its display name speaks of software information: accept both.
const SOFTWARE_VULNERABILITY_READ: readonly MdeRole[] = ['Vulnerability.Read.All', 'Software.Read.All'];
const RECOMMENDATION_READ: readonly MdeRole[] = ['SecurityRecommendation.Read.All'];
const SCORE_READ: readonly MdeRole[] = ['Score.Read.All'];

/** Every route, most specific first (the export routes before `/api/machines/{id}`). MDE paths ignore case. */
export function buildRoutes(control: SimulatorControl): readonly Route[] {
  const sim = simRoutes(control);
  const hunt = huntingRoutes();
  return [
    open(
      'GET',
      '/{tenant}/v2.0/.well-known/openid-configuration',
      /^\/([^/]+)\/v2\.0\/\.well-known\/openid-configuration$/,
      'entra',
      openIdConfiguration,
    ),
    open(
      'GET',
      '/{tenant}/.well-known/openid-configuration',
      /^\/([^/]+)\/\.well-known\/openid-configuration$/,
      'entra',
      openIdConfiguration,
    ),
    open('GET', '/{tenant}/discovery/keys', /^\/([^/]+)\/discovery(?:\/v2\.0)?\/keys$/, 'entra', signingKeys),
    open(
      'POST',
      '/{tenant}/oauth2/v2.0/token',
      /^\/([^/]+)\/oauth2\/v2\.0\/token$/,
      'entra',
      tokenHandler('v2'),
    ),
    open('POST', '/{tenant}/oauth2/token', /^\/([^/]+)\/oauth2\/token$/, 'entra', tokenHandler('v1')),
    mde('/api/machines', /^\/api\/machines$/i, MACHINE_READ, 'default', listMachines),
    mde(
      '/api/machines/SoftwareVulnerabilitiesByMachine',
      /^\/api\/machines\/SoftwareVulnerabilitiesByMachine$/i,
      VULNERABILITY_READ,
      'exportJson',
      exportByMachine,
    ),
    mde(
      '/api/machines/SoftwareVulnerabilityChangesByMachine',
      /^\/api\/machines\/SoftwareVulnerabilityChangesByMachine$/i,
      VULNERABILITY_READ,
      'exportJson',
      exportChanges,
    ),
    mde(
      '/api/machines/SoftwareVulnerabilitiesExport',
      /^\/api\/machines\/SoftwareVulnerabilitiesExport$/i,
      VULNERABILITY_READ,
      'exportFiles',
      exportFiles,
    ),
    mde(
      '/api/machines/{id}/vulnerabilities',
      /^\/api\/machines\/([^/]+)\/vulnerabilities$/i,
      VULNERABILITY_READ,
      'machineVulnerabilities',
      machineVulnerabilities,
    ),
    mde(
      '/api/machines/{id}/software',
      /^\/api\/machines\/([^/]+)\/software$/i,
      SOFTWARE_READ,
      'default',
      machineSoftware,
    ),
    mde('/api/machines/{id}', /^\/api\/machines\/([^/]+)$/i, MACHINE_READ, 'default', getMachine),
    mde(
      '/api/vulnerabilities',
      /^\/api\/vulnerabilities$/i,
      VULNERABILITY_READ,
      'default',
      listVulnerabilities,
    ),
    mde(
      '/api/vulnerabilities/{id}',
      /^\/api\/vulnerabilities\/([^/]+)$/i,
      VULNERABILITY_READ,
      'default',
      getVulnerability,
    ),
    mde('/api/Software', /^\/api\/Software$/i, SOFTWARE_READ, 'default', listSoftware),
    mde('/api/Software/{id}', /^\/api\/Software\/([^/]+)$/i, SOFTWARE_READ, 'default', getSoftware),
    mde(
      '/api/Software/{id}/machineReferences',
      /^\/api\/Software\/([^/]+)\/machineReferences$/i,
      SOFTWARE_READ,
      'default',
      softwareMachineReferences,
    ),
    mde(
      '/api/Software/{id}/vulnerabilities',
      /^\/api\/Software\/([^/]+)\/vulnerabilities$/i,
      SOFTWARE_VULNERABILITY_READ,
      'default',
      softwareVulnerabilities,
    ),
    mde(
      '/api/Software/{id}/distributions',
      /^\/api\/Software\/([^/]+)\/distributions$/i,
      SOFTWARE_READ,
      'default',
      softwareDistributions,
    ),
    mde(
      '/api/recommendations',
      /^\/api\/recommendations$/i,
      RECOMMENDATION_READ,
      'default',
      listRecommendations,
    ),
    mde(
      '/api/recommendations/{id}',
      /^\/api\/recommendations\/([^/]+)$/i,
      RECOMMENDATION_READ,
      'default',
      getRecommendation,
    ),
    mde(
      '/api/recommendations/{id}/machineReferences',
      /^\/api\/recommendations\/([^/]+)\/machineReferences$/i,
      RECOMMENDATION_READ,
      'default',
      recommendationMachineReferences,
    ),
    mde('/api/exposureScore', /^\/api\/exposureScore$/i, SCORE_READ, 'default', exposureScore),
    mde(
      '/api/exposureScore/ByMachineGroups',
      /^\/api\/exposureScore\/ByMachineGroups$/i,
      SCORE_READ,
      'default',
      exposureScoreByMachineGroups,
    ),
    mde('/api/alerts', /^\/api\/alerts$/i, ALERT_READ, 'alerts', listAlerts),
    mde('/api/alerts/{id}', /^\/api\/alerts\/([^/]+)$/i, ALERT_READ, 'alerts', getAlert),
    xdr(
      '/api/incidents',
      /^\/api\/incidents$/i,
      ['Incident.Read.All', 'Incident.ReadWrite.All'],
      'incidents',
      listXdrIncidents,
    ),
    mde('/api/machineactions', /^\/api\/machineactions$/i, MACHINE_READ, 'default', listMachineActions),
    mde(
      '/api/machineactions/{id}',
      /^\/api\/machineactions\/([^/]+)$/i,
      MACHINE_READ,
      'default',
      getMachineAction,
    ),
    mdeAction(
      '/api/machineactions/{id}/cancel',
      /^\/api\/machineactions\/([^/]+)\/cancel$/i,
      [],
      cancelAction,
    ),
    mdeAction(
      '/api/machines/{id}/isolate',
      /^\/api\/machines\/([^/]+)\/isolate$/i,
      ['Machine.Isolate'],
      createActionHandler('Isolate'),
    ),
    mdeAction(
      '/api/machines/{id}/unisolate',
      /^\/api\/machines\/([^/]+)\/unisolate$/i,
      ['Machine.Isolate'],
      createActionHandler('Unisolate'),
    ),
    mdeAction(
      '/api/machines/{id}/runAntiVirusScan',
      /^\/api\/machines\/([^/]+)\/runAntiVirusScan$/i,
      ['Machine.Scan'],
      createActionHandler('RunAntiVirusScan'),
    ),
    mdeAction(
      '/api/machines/{id}/collectInvestigationPackage',
      /^\/api\/machines\/([^/]+)\/collectInvestigationPackage$/i,
      ['Machine.CollectForensics'],
      createActionHandler('CollectInvestigationPackage'),
    ),
    graph(
      '/v1.0/security/alerts_v2',
      /^\/v1\.0\/security\/alerts_v2$/i,
      ['SecurityAlert.Read.All', 'SecurityAlert.ReadWrite.All'],
      listGraphAlerts,
    ),
    graph(
      '/v1.0/security/incidents',
      /^\/v1\.0\/security\/incidents$/i,
      ['SecurityIncident.Read.All', 'SecurityIncident.ReadWrite.All'],
      listGraphIncidents,
    ),
    directory('/v1.0/applications', /^\/v1\.0\/applications$/i, ['Application.Read.All'], listApplications),
    directory('/v1.0/devices', /^\/v1\.0\/devices$/i, ['Device.Read.All', 'Directory.Read.All'], listDevices),
    hunting(
      'graph',
      '/v1.0/security/runHuntingQuery',
      /^\/v1\.0\/security\/runHuntingQuery$/i,
      ['ThreatHunting.Read.All'],
      hunt.graphRun,
    ),
    hunting(
      'mde',
      '/api/advancedqueries/run',
      /^\/api\/advancedqueries\/run$/i,
      ['AdvancedQuery.Read.All'],
      hunt.mdeRun,
    ),
    ...armRoutes(),
    open(
      'GET',
      '/_blob/tvm-export/{file}',
      /^\/_blob\/tvm-export\/(\d{4}-\d{2}-\d{2})\/([^/]+)\/part-(\d+)\.json\.gz$/,
      'blob',
      exportBlob,
    ),
    open('GET', '/_sim/control', /^\/_sim\/control$/, 'sim', sim.getControl),
    open('POST', '/_sim/control', /^\/_sim\/control$/, 'sim', sim.postControl),
    open('GET', '/_sim/faults', /^\/_sim\/faults$/, 'sim', sim.getFaults),
    open('POST', '/_sim/faults', /^\/_sim\/faults$/, 'sim', sim.postFaults),
    open('GET', '/_sim/clock', /^\/_sim\/clock$/, 'sim', sim.clock),
    open('POST', '/_sim/advance', /^\/_sim\/advance$/, 'sim', sim.advance),
    open('POST', '/_sim/certificates', /^\/_sim\/certificates$/, 'sim', sim.certificates),
    open('GET', '/_sim/truth/summary', /^\/_sim\/truth\/summary$/, 'sim', sim.truthSummary),
    open('GET', '/_sim/truth/machines', /^\/_sim\/truth\/machines$/, 'sim', sim.truthMachines),
    open('GET', '/_sim/truth/findings', /^\/_sim\/truth\/findings$/, 'sim', sim.truthFindings),
    open('GET', '/_sim/truth/alerts', /^\/_sim\/truth\/alerts$/, 'sim', sim.truthAlerts),
    open('GET', '/_sim/truth/incidents', /^\/_sim\/truth\/incidents$/, 'sim', sim.truthIncidents),
    open('GET', '/_sim/truth/software', /^\/_sim\/truth\/software$/, 'sim', truthSoftwareRoute),
    open('GET', '/_sim/truth/devices', /^\/_sim\/truth\/devices$/, 'sim', truthDevicesRoute),
    open(
      'GET',
      '/_sim/truth/software/{id}/machines',
      /^\/_sim\/truth\/software\/([^/]+)\/machines$/,
      'sim',
      truthSoftwareMachinesRoute,
    ),
    open(
      'GET',
      '/_sim/truth/exposure-score',
      /^\/_sim\/truth\/exposure-score$/,
      'sim',
      truthExposureScoreRoute,
    ),
    open(
      'GET',
      '/_sim/truth/machine-actions',
      /^\/_sim\/truth\/machine-actions$/,
      'sim',
      sim.truthMachineActions,
    ),
    open('POST', '/_sim/machine-actions', /^\/_sim\/machine-actions$/, 'sim', sim.portalAction),
    open(
      'POST',
      '/_sim/machine-actions/{id}/cancel',
      /^\/_sim\/machine-actions\/([^/]+)\/cancel$/,
      'sim',
      sim.portalCancel,
    ),
    open('GET', '/_sim/hunting', /^\/_sim\/hunting$/, 'sim', hunt.getSettings),
    open('POST', '/_sim/hunting', /^\/_sim\/hunting$/, 'sim', hunt.postSettings),
    open('GET', '/_sim/stats', /^\/_sim\/stats$/, 'sim', sim.stats),
    open('POST', '/_sim/reset-stats', /^\/_sim\/reset-stats$/, 'sim', sim.resetStats),
  ];
}
