import { GRAPH_ROLES, MDE_ROLES } from '../auth/roles.js';
import type { SimulatorControl } from '../control.js';
import { getAlert, listAlerts } from '../routes/alerts.js';
import { openIdConfiguration, signingKeys } from '../routes/entra-discovery.js';
import { tokenHandler } from '../routes/entra-token.js';
import { exportByMachine, exportChanges } from '../routes/export-json.js';
import { exportBlob, exportFiles } from '../routes/export-files.js';
import { listGraphAlerts, listGraphIncidents } from '../routes/graph-security.js';
import type { Handler } from '../routes/handler.js';
import { getMachineAction, listMachineActions } from '../routes/machine-actions.js';
import { getMachine, listMachines } from '../routes/machines.js';
import { simRoutes } from '../routes/sim-control.js';
import { getVulnerability, listVulnerabilities, machineVulnerabilities } from '../routes/vulnerabilities.js';
import type { Surface } from './exchange.js';
import type { RateClass } from './rate-limiter.js';

type MdeRole = (typeof MDE_ROLES)[number];
type GraphRole = (typeof GRAPH_ROLES)[number];

export interface Route {
  readonly method: 'GET' | 'POST';
  readonly pattern: RegExp;
  /** Stable name for stats, e.g. `GET /api/machines/{id}`. */
  readonly name: string;
  readonly surface: Surface;
  /** Any one of these app roles lets the call through. */
  readonly roles: readonly string[];
  readonly rateClass: RateClass | undefined;
  readonly handler: Handler;
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

/** Every route, most specific first (the export routes before `/api/machines/{id}`). MDE paths ignore case. */
export function buildRoutes(control: SimulatorControl): readonly Route[] {
  const sim = simRoutes(control);
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
    mde('/api/alerts', /^\/api\/alerts$/i, ALERT_READ, 'default', listAlerts),
    mde('/api/alerts/{id}', /^\/api\/alerts\/([^/]+)$/i, ALERT_READ, 'default', getAlert),
    mde('/api/machineactions', /^\/api\/machineactions$/i, MACHINE_READ, 'default', listMachineActions),
    mde(
      '/api/machineactions/{id}',
      /^\/api\/machineactions\/([^/]+)$/i,
      MACHINE_READ,
      'default',
      getMachineAction,
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
    open('POST', '/_sim/advance', /^\/_sim\/advance$/, 'sim', sim.advance),
    open('POST', '/_sim/certificates', /^\/_sim\/certificates$/, 'sim', sim.certificates),
    open('GET', '/_sim/truth/summary', /^\/_sim\/truth\/summary$/, 'sim', sim.truthSummary),
    open('GET', '/_sim/truth/machines', /^\/_sim\/truth\/machines$/, 'sim', sim.truthMachines),
    open('GET', '/_sim/truth/findings', /^\/_sim\/truth\/findings$/, 'sim', sim.truthFindings),
    open('GET', '/_sim/truth/alerts', /^\/_sim\/truth\/alerts$/, 'sim', sim.truthAlerts),
    open('GET', '/_sim/truth/incidents', /^\/_sim\/truth\/incidents$/, 'sim', sim.truthIncidents),
    open('GET', '/_sim/stats', /^\/_sim\/stats$/, 'sim', sim.stats),
    open('POST', '/_sim/reset-stats', /^\/_sim\/reset-stats$/, 'sim', sim.resetStats),
  ];
}
