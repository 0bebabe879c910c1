import { createPublicKey, verify, type JsonWebKey, type KeyObject } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { Agent, request } from 'undici';
import { afterAll } from 'vitest';
import type { CreateIntegrationInput } from '../../src/integrations/integration-schema.js';
import { generateCertificates } from '../../src/simulator/certificates.js';
import type { RunningSimulator } from '../../src/simulator/index.js';
import { simulatorIntegrationSettings } from '../../src/simulator/integration-settings.js';
import { readFixture } from './fixtures.js';
import { closeServer } from '../../src/simulator/http/server.js';

export type JsonObject = Record<string, unknown>;

/** A published list answer: its text as published and the parsed envelope. */
interface PublishedList {
  readonly text: string;
  readonly envelope: JsonObject;
  readonly records: readonly JsonObject[];
}

/** The published records a sync reads, as Microsoft's documentation shows them. */
export interface PublishedTenant {
  readonly machines: readonly JsonObject[];
  readonly vulnerabilities: readonly JsonObject[];
  readonly findings: readonly JsonObject[];
  readonly alerts: readonly JsonObject[];
  readonly incidents: readonly JsonObject[];
  readonly machineActions: readonly JsonObject[];
  readonly software: readonly JsonObject[];
}

export interface ServedRequest {
  readonly method: string;
  readonly path: string;
  readonly status: number;
}

export interface FixtureTenant {
  /** `https://127.0.0.1:PORT`: the Defender API base and the Graph base alike. */
  readonly url: string;
  /** The CA that issued this server's certificate, for the integration to trust. */
  readonly caPem: string;
  readonly published: PublishedTenant;
  /** The machines added for the devices the published findings name (see `machinesForFindings`). */
  readonly derivedMachines: readonly JsonObject[];
  /** Every request answered, in order, to show which routes a sync called. */
  readonly served: readonly ServedRequest[];
  close(): Promise<void>;
}

/** The published payloads, read from ../shared/fixtures at run time (never copied into the repository). */
const files = {
  machines: 'machines-list-with-ipaddresses.json',
  vulnerabilities: 'vulnerabilities-list.json',
  findings: 'software-vulnerabilities-by-machine.json',
  alerts: 'graph-alerts-v2-list.json',
  incidents: 'graph-incidents-list.json',
  machineActions: 'machineactions-list.json',
  software: 'software-list.json',
  // The machines of the published software (Microsoft Edge), from the same documentation set.
  machineReferences: 'machine-references.json',
  // And its CVEs.
  softwareVulnerabilities: 'software-vulnerabilities.json',
} as const;

function readList(file: string): PublishedList {
  const text = readFixture('defender', file);
  const envelope = JSON.parse(text) as JsonObject;
  const records = envelope.value;
  if (!Array.isArray(records)) throw new Error(`Fixture defender/${file} has no "value" list.`);
  return { text, envelope, records: records as JsonObject[] };
}

/**
 * One machine per device the published findings reference. The published findings' deviceIds match none of
 * the published machines, and the hub stores findings only for devices it imported as endpoints; so the tenant
 * also lists these machines, built only from the device context the findings themselves carry, plus what the
 * hub's asset filters need and the findings do not give: an RFC 5737 documentation address as
 * `lastIpAddress`, onboardingStatus "Onboarded" and healthStatus "Active". Nothing else is invented.
 */
export function machinesForFindings(findings: readonly JsonObject[]): JsonObject[] {
  const byDevice = new Map<unknown, JsonObject>();
  for (const finding of findings)
    if (!byDevice.has(finding.deviceId)) byDevice.set(finding.deviceId, finding);
  return [...byDevice.values()].map((finding, index) => ({
    id: finding.deviceId,
    computerDnsName: finding.deviceName,
    osPlatform: finding.osPlatform,
    osVersion: finding.osVersion,
    osArchitecture: finding.osArchitecture,
    rbacGroupName: finding.rbacGroupName,
    ...(finding.rbacGroupId === undefined ? {} : { rbacGroupId: finding.rbacGroupId }),
    lastIpAddress: `192.0.2.${index + 1}`,
    onboardingStatus: 'Onboarded',
    healthStatus: 'Active',
  }));
}

type Audience = 'defender' | 'graph';

interface Route {
  readonly audience: Audience;
  /** The answer's JSON text. */
  readonly body: string;
}

/**
 * The routes a full sync calls, each answering one page. `$filter`, `$top` and `$skip` are ignored: every list
 * is shorter than the client's page, so the client stops after the first (skip paging at a short page, next-link
 * paging without a link, Graph time windows below their cap).
 */
function routesOf(lists: Record<keyof typeof files, PublishedList>, derived: readonly JsonObject[]) {
  const machines = { ...lists.machines.envelope, value: [...lists.machines.records, ...derived] };
  // The published page's @odata.nextLink names Microsoft's host and a second page that was never published;
  // the client rightly refuses to send its token to another host, so this one page ends the export here.
  const findings = {
    '@odata.context': lists.findings.envelope['@odata.context'],
    value: lists.findings.records,
  };
  return new Map<string, Route>([
    ['/api/machines', { audience: 'defender', body: JSON.stringify(machines) }],
    ['/api/vulnerabilities', { audience: 'defender', body: lists.vulnerabilities.text }],
    [
      '/api/machines/SoftwareVulnerabilitiesByMachine',
      { audience: 'defender', body: JSON.stringify(findings) },
    ],
    ['/v1.0/security/alerts_v2', { audience: 'graph', body: lists.alerts.text }],
    ['/v1.0/security/incidents', { audience: 'graph', body: lists.incidents.text }],
    ['/api/machineactions', { audience: 'defender', body: lists.machineActions.text }],
    ['/api/Software', { audience: 'defender', body: lists.software.text }],
    ...lists.software.records.map((product): [string, Route] => [
      `/api/Software/${encodeURIComponent(String(product.id))}/machineReferences`,
      { audience: 'defender', body: lists.machineReferences.text },
    ]),
    ...lists.software.records.map((product): [string, Route] => [
      `/api/Software/${encodeURIComponent(String(product.id))}/vulnerabilities`,
      { audience: 'defender', body: lists.softwareVulnerabilities.text },
    ]),
  ]);
}

/** The App ID URIs the hub's client asks the authority for (commercial cloud), by the API they open. */
const audiences: Record<Audience, string> = {
  defender: 'https://api.securitycenter.microsoft.com',
  graph: 'https://graph.microsoft.com',
};

/** The authority's signing keys by key id, from its JWKS (the `jwks_uri` of its v2.0 discovery document). */
async function signingKeys(authority: RunningSimulator): Promise<Map<string, KeyObject>> {
  const dispatcher = new Agent({ connect: { ca: authority.caPem } });
  try {
    const url = `${authority.authorityHost}/${authority.tenantId}/discovery/v2.0/keys`;
    const response = await request(url, { dispatcher });
    const jwks = (await response.body.json()) as { keys: (JsonWebKey & { kid: string })[] };
    return new Map(jwks.keys.map((key) => [key.kid, createPublicKey({ key, format: 'jwk' })]));
  } finally {
    await dispatcher.close();
  }
}

function jwtPart(part: string | undefined): JsonObject {
  return JSON.parse(Buffer.from(part ?? '', 'base64url').toString('utf8')) as JsonObject;
}

/**
 * Why a bearer token may not call an API of this tenant, or undefined when it may: signed by the authority,
 * unexpired, issued for this tenant and for the API called (a Graph token on the Defender API is refused).
 */
function tokenProblem(
  header: string | undefined,
  audience: Audience,
  keys: ReadonlyMap<string, KeyObject>,
  tenantId: string,
): string | undefined {
  const token = /^Bearer\s+(\S+)$/i.exec(header ?? '')?.[1];
  if (token === undefined) return 'no bearer token';
  const [head, payload, signature] = token.split('.');
  try {
    const key = keys.get(String(jwtPart(head).kid));
    if (key === undefined || signature === undefined) return 'not signed by a key of the authority';
    if (
      !verify(
        'sha256',
        Buffer.from(`${head ?? ''}.${payload ?? ''}`),
        key,
        Buffer.from(signature, 'base64url'),
      )
    )
      return 'bad signature';
    const claims = jwtPart(payload);
    if (typeof claims.exp !== 'number' || claims.exp * 1000 <= Date.now()) return 'expired';
    if (claims.tid !== tenantId) return `issued for tenant ${String(claims.tid)}`;
    if (String(claims.aud).replace(/\/+$/, '') !== audiences[audience])
      return `audience ${String(claims.aud)}`;
    return undefined;
  } catch {
    return 'malformed token';
  }
}

function send(res: ServerResponse, status: number, body: string): void {
  // Node adds the Date header itself; the client reads it as the service's clock for its Graph windows.
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(body);
}

function errorBody(code: string, message: string): string {
  return JSON.stringify({ error: { code, message } });
}

/**
 * A Defender + Graph tenant that serves Microsoft's published example payloads over HTTPS, with the simulator as
 * its token authority. Its certificate comes from its own CA, which the integration trusts by configuration
 * (`caPem`), exactly as it trusts the simulator's: TLS verification stays on.
 */
export async function startFixtureTenant(authority: RunningSimulator): Promise<FixtureTenant> {
  const lists = {
    machines: readList(files.machines),
    vulnerabilities: readList(files.vulnerabilities),
    findings: readList(files.findings),
    alerts: readList(files.alerts),
    incidents: readList(files.incidents),
    machineActions: readList(files.machineActions),
    software: readList(files.software),
    machineReferences: readList(files.machineReferences),
    softwareVulnerabilities: readList(files.softwareVulnerabilities),
  };
  const derivedMachines = machinesForFindings(lists.findings.records);
  const routes = routesOf(lists, derivedMachines);
  // Its own CA name: the integration trusts both CAs in one bundle, and two CAs of one subject name make TLS
  // check the leaf against the wrong one ("certificate signature failure").
  const [certificates, keys] = await Promise.all([
    generateCertificates('defender-hub fixture tenant CA'),
    signingKeys(authority),
  ]);
  const served: ServedRequest[] = [];

  const answer = (req: IncomingMessage, res: ServerResponse): void => {
    const path = new URL(req.url ?? '/', 'https://fixture.invalid').pathname;
    const route = req.method === 'GET' ? routes.get(path) : undefined;
    const problem =
      route === undefined
        ? undefined
        : tokenProblem(req.headers.authorization, route.audience, keys, authority.tenantId);
    const status = route === undefined ? 404 : problem === undefined ? 200 : 401;
    served.push({ method: req.method ?? '', path, status });
    if (route === undefined)
      send(res, 404, errorBody('ResourceNotFound', `The fixture tenant does not serve ${path}.`));
    else if (problem !== undefined)
      send(res, 401, errorBody('Unauthorized', `Access token refused: ${problem}.`));
    else send(res, 200, route.body);
  };

  const server = createServer({ cert: certificates.serverCertPem, key: certificates.serverKeyPem }, answer);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  return {
    url: `https://127.0.0.1:${(server.address() as AddressInfo).port}`,
    caPem: certificates.caPem,
    published: {
      machines: lists.machines.records,
      vulnerabilities: lists.vulnerabilities.records,
      findings: lists.findings.records,
      alerts: lists.alerts.records,
      incidents: lists.incidents.records,
      machineActions: lists.machineActions.records,
      software: lists.software.records,
    },
    derivedMachines,
    served,
    close: () => closeServer(server),
  };
}

/** Starts a fixture tenant for the test file and stops it when the file is done. */
export async function useFixtureTenant(authority: RunningSimulator): Promise<FixtureTenant> {
  const tenant = await startFixtureTenant(authority);
  afterAll(() => tenant.close());
  return tenant;
}

/**
 * The integration a user would enter for this tenant: the simulator's sign-in (authority, tenant, app, secret),
 * this server as the Defender API and Graph, and both CAs trusted (one PEM bundle). Recommendations are not
 * imported: the documentation publishes no example payloads of them.
 */
export function fixtureTenantSettings(
  tenant: FixtureTenant,
  authority: RunningSimulator,
  name: string,
): CreateIntegrationInput & { name: string } {
  return {
    ...simulatorIntegrationSettings(authority, name),
    apiBaseUrl: tenant.url,
    graphBaseUrl: tenant.url,
    caPem: `${authority.caPem.trim()}\n${tenant.caPem.trim()}\n`,
    // The published data has no recommendations and no Entra ID devices.
    imports: { recommendations: false, entraDevices: false },
  };
}
