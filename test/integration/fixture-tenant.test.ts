import { isDeepStrictEqual } from 'node:util';
import { beforeAll, describe, expect, it, type TestContext } from 'vitest';
import { parseDefenderTimestamp } from '../../src/defender/schemas/timestamp.js';
import { dialects } from '../support/stores.js';
import { useSimulator } from '../support/simulator.js';
import {
  fixtureTenantSettings,
  useFixtureTenant,
  type FixtureTenant,
  type JsonObject,
} from '../support/fixture-tenant.js';
import { fixturesPresent, requireFixtures } from '../support/fixtures.js';
import { useApi, type TestApi } from '../server/api-harness.js';

interface Page<T> {
  items: T[];
  total: number;
}
interface SyncRun {
  dataset: string;
  status: string;
  complete: boolean;
  recordsIn: number;
  upserted: number;
  skippedReasons: Record<string, number>;
  errorMessage: string | null;
}

type Path = readonly (string | number)[];
interface Leaf {
  readonly path: Path;
  readonly value: unknown;
}

/**
 * Where the API shows a published record's members: `fields` maps a member to the API field that carries it
 * (a dotted path), and every other member is looked for at its own path inside `rawPart`, the Defender record
 * the detail answer carries. `nullByDefinition` names members the view cannot have a value for, by what it
 * lists; they count as shown only while the published value is null.
 */
interface ApiView {
  readonly fields: Readonly<Record<string, string>>;
  readonly rawPart: 'defender' | 'defenderRecord' | 'raw';
  readonly nullByDefinition?: readonly string[];
}

const same = (...members: string[]): Record<string, string> =>
  Object.fromEntries(members.map((member) => [member, member]));

const views = {
  machine: {
    rawPart: 'defenderRecord',
    fields: {
      id: 'machineId',
      ...same(
        'computerDnsName',
        'osPlatform',
        'osVersion',
        'version',
        'healthStatus',
        'onboardingStatus',
        'riskScore',
        'exposureLevel',
        'rbacGroupName',
        'machineTags',
        'ipAddresses',
        'lastIpAddress',
        'lastSeen',
        'firstSeen',
        'aadDeviceId',
        'deviceValue',
        'osBuild',
        'lastExternalIpAddress',
      ),
    },
  },
  vulnerability: {
    rawPart: 'defender',
    fields: {
      id: 'cveId',
      ...same(
        'name',
        'severity',
        'cvssV3',
        'publicExploit',
        'exploitVerified',
        'exploitInKit',
        'epss',
        'description',
        'publishedOn',
        'updatedOn',
      ),
    },
  },
  // A finding without a CVE is shown as an item of its endpoint's software; `endpoint` is that endpoint. Such a
  // row is that software with no known vulnerability, so the CVE's own members (its id, severity, score and
  // fixing update) have nothing to show: Defender sends them null.
  software: {
    rawPart: 'defender',
    fields: {
      deviceId: 'endpoint.machineId',
      securityUpdateAvailable: 'updateAvailable',
      firstSeenTimestamp: 'firstSeen',
      lastSeenTimestamp: 'lastSeen',
      ...same('id', 'softwareVendor', 'softwareName', 'softwareVersion', 'exploitabilityLevel'),
    },
    nullByDefinition: [
      'cveId',
      'vulnerabilitySeverityLevel',
      'cvssScore',
      'recommendedSecurityUpdate',
      'recommendedSecurityUpdateId',
      'recommendedSecurityUpdateUrl',
    ],
  },
  alert: {
    rawPart: 'raw',
    fields: {
      createdDateTime: 'createdAt',
      lastUpdateDateTime: 'lastUpdate',
      ...same(
        'id',
        'incidentId',
        'title',
        'severity',
        'status',
        'category',
        'serviceSource',
        'detectionSource',
      ),
    },
  },
  incident: {
    rawPart: 'raw',
    fields: {
      createdDateTime: 'createdAt',
      lastUpdateDateTime: 'lastUpdate',
      ...same('id', 'displayName', 'severity', 'status', 'classification', 'determination'),
    },
  },
} as const satisfies Record<string, ApiView>;

/** Every leaf of a JSON value; an empty list or object is a leaf of its own (it must arrive empty, not absent). */
function leavesOf(value: unknown, path: Path = []): Leaf[] {
  if (typeof value === 'object' && value !== null) {
    const entries: [string | number, unknown][] = Array.isArray(value)
      ? value.map((item: unknown, index) => [index, item])
      : Object.entries(value);
    if (entries.length > 0) return entries.flatMap(([key, child]) => leavesOf(child, [...path, key]));
  }
  return [{ path, value }];
}

/** The value at a path, or undefined when the path is absent (JSON has no undefined, so absent is distinct). */
function at(value: unknown, path: Path): unknown {
  let current = value;
  for (const key of path) {
    if (typeof current !== 'object' || current === null || !Object.hasOwn(current, key)) return undefined;
    current = (current as Record<string, unknown>)[String(key)];
  }
  return current;
}

function pathName(path: Path): string {
  return path
    .map((key, index) => {
      if (typeof key === 'number') return `[${key}]`;
      if (/^[A-Za-z_$][\w$]*$/.test(key)) return index === 0 ? key : `.${key}`;
      return `[${JSON.stringify(key)}]`;
    })
    .join('');
}

/** Timestamps count as shown when the API gives the raw string or any text of the same instant. */
function sameValue(published: unknown, shown: unknown): boolean {
  if (isDeepStrictEqual(published, shown)) return true;
  if (typeof published !== 'string' || typeof shown !== 'string') return false;
  const [a, b] = [parseDefenderTimestamp(published), parseDefenderTimestamp(shown)];
  return a !== undefined && b !== undefined && a.date.getTime() === b.date.getTime();
}

function whereShown(path: Path, view: ApiView): Path {
  const [member, ...rest] = path;
  const field =
    typeof member === 'string' && Object.hasOwn(view.fields, member) ? view.fields[member] : undefined;
  return field === undefined ? [view.rawPart, ...path] : [...field.split('.'), ...rest];
}

function isShown(leaf: Leaf, shown: JsonObject, view: ApiView): boolean {
  const [member] = leaf.path;
  if (typeof member === 'string' && view.nullByDefinition?.includes(member) === true)
    return leaf.value === null;
  return sameValue(leaf.value, at(shown, whereShown(leaf.path, view)));
}

/** The paths of a published record's leaves that its API answer does not show, each named in full. */
function hiddenLeaves(record: JsonObject, shown: JsonObject | undefined, view: ApiView): string[] {
  const name = `${String(record.id)}:`;
  if (shown === undefined) return [`${name} the record is not in the API`];
  return leavesOf(record)
    .filter((leaf) => !isShown(leaf, shown, view))
    .map((leaf) => `${name} ${pathName(leaf.path)}`);
}

async function hiddenIn(
  records: readonly JsonObject[],
  view: ApiView,
  lookUp: (record: JsonObject) => Promise<JsonObject | undefined>,
): Promise<string[]> {
  const hidden: string[] = [];
  for (const record of records) hidden.push(...hiddenLeaves(record, await lookUp(record), view));
  return hidden;
}

// The simulator is only the token authority here; the tenant's data is Microsoft's published examples.
const authority = await useSimulator({ machines: 0 });
// Without ../shared there is nothing to serve: no tenant, and every case skips (or fails in CI) on requireFixtures.
const tenant = fixturesPresent ? await useFixtureTenant(authority) : undefined;

function tenantFor(ctx: TestContext): FixtureTenant {
  requireFixtures(ctx);
  return tenant!;
}

describe.each(dialects)("a sync of Microsoft's published examples on %s", (dialect) => {
  let api: TestApi;
  let integrationId: string;

  /** A detail answer, or undefined when the API does not know the record. */
  const detail = async (url: string): Promise<JsonObject | undefined> => {
    const { status, body } = await api.call<JsonObject>('GET', url);
    if (status === 404) return undefined;
    expect(status, url).toBe(200);
    return body;
  };

  const endpointOf = async (machineId: unknown): Promise<JsonObject | undefined> => {
    const search = encodeURIComponent(String(machineId));
    const { body } = await api.call<Page<{ id: number; machineId: string }>>(
      'GET',
      `/api/v1/endpoints?integration=${integrationId}&search=${search}`,
    );
    const hit = body.items.find((e) => e.machineId === machineId);
    return hit === undefined ? undefined : detail(`/api/v1/endpoints/${hit.id}`);
  };

  const softwareOf = async (finding: JsonObject): Promise<JsonObject | undefined> => {
    const endpoint = await endpointOf(finding.deviceId);
    if (endpoint === undefined) return undefined;
    const url = `/api/v1/endpoints/${String(endpoint.id)}/software?pageSize=500`;
    const { status, body } = await api.call<Page<JsonObject>>('GET', url);
    expect(status, url).toBe(200);
    const item = body.items.find((s) => s.id === finding.id);
    return item === undefined ? undefined : { ...item, endpoint };
  };

  const byId = (route: string) => (record: JsonObject) =>
    detail(`/api/v1/${route}/${encodeURIComponent(String(record.id))}?integration=${integrationId}`);

  beforeAll(async () => {
    if (tenant === undefined) return;
    api = await useApi(dialect);
    const settings = fixtureTenantSettings(tenant, authority, 'published examples');
    const created = await api.call<{ id: string }>('POST', '/api/v1/integrations', settings);
    expect(created.status).toBe(201);
    integrationId = created.body.id;
    const synced = await api.syncNow(integrationId, { full: true });
    expect(synced.status).toBe(dialect === 'sqlite' ? 200 : 202);
  });

  it('should run every dataset to completion with the published counts', async (ctx) => {
    const { published, derivedMachines, served } = tenantFor(ctx);
    const { body } = await api.call<Page<SyncRun>>('GET', `/api/v1/sync-runs?integration=${integrationId}`);
    const runs = body.items.map((r) => ({
      dataset: r.dataset,
      status: r.status,
      complete: r.complete,
      recordsIn: r.recordsIn,
      upserted: r.upserted,
      skippedReasons: r.skippedReasons,
      errorMessage: r.errorMessage,
    }));
    const machines = published.machines.length + derivedMachines.length;
    const run = (dataset: string, recordsIn: number, upserted: number, skippedReasons = {}) => ({
      dataset,
      status: 'succeeded',
      complete: true,
      recordsIn,
      upserted,
      skippedReasons,
      errorMessage: null,
    });
    // Datasets that do not read each other run side by side: compare in dataset order, not start order.
    const inOrder = (list: readonly { dataset: string }[]) =>
      [...list].sort((a, b) => a.dataset.localeCompare(b.dataset));
    expect(inOrder(runs)).toEqual(
      inOrder([
        run('machines', machines, machines),
        run('vulnerabilities', published.vulnerabilities.length, published.vulnerabilities.length),
        // Every published finding is software without a CVE (cveId null): kept, as the endpoint's software.
        run('findings', published.findings.length, published.findings.length),
        run('alerts', published.alerts.length, published.alerts.length),
        run('incidents', published.incidents.length, published.incidents.length),
        run('machineActions', published.machineActions.length, published.machineActions.length),
        run('software', published.software.length, published.software.length),
      ]),
    );
    // Only the routes a sync calls were asked for, each answered (a token problem would show as 401 here).
    expect(new Set(served.map((r) => `${r.method} ${r.path} ${r.status}`))).toEqual(
      new Set([
        'GET /api/machines 200',
        'GET /api/vulnerabilities 200',
        'GET /api/machines/SoftwareVulnerabilitiesByMachine 200',
        'GET /v1.0/security/alerts_v2 200',
        'GET /v1.0/security/incidents 200',
        'GET /api/machineactions 200',
        'GET /api/Software 200',
        // The daily look at the credential's expiry (one per integration): the published examples hold no app
        // registration, so it finds none and the runs go on.
        'GET /v1.0/applications 404',
        ...published.software.flatMap((s) =>
          ['machineReferences', 'vulnerabilities'].map(
            (list) => `GET /api/Software/${encodeURIComponent(String(s.id))}/${list} 200`,
          ),
        ),
      ]),
    );
  });

  it('should show every field of the published machines', async (ctx) => {
    const { published } = tenantFor(ctx);
    expect(await hiddenIn(published.machines, views.machine, (m) => endpointOf(m.id))).toEqual([]);
  });

  it('should import the machines added for the devices the published findings name', async (ctx) => {
    const { derivedMachines } = tenantFor(ctx);
    expect(await hiddenIn(derivedMachines, views.machine, (m) => endpointOf(m.id))).toEqual([]);
  });

  it('should show every field of the published CVE catalog entries', async (ctx) => {
    const { published } = tenantFor(ctx);
    expect(await hiddenIn(published.vulnerabilities, views.vulnerability, byId('vulnerabilities'))).toEqual(
      [],
    );
  });

  it('should show every field of the published Graph alerts', async (ctx) => {
    const { published } = tenantFor(ctx);
    expect(await hiddenIn(published.alerts, views.alert, byId('alerts'))).toEqual([]);
  });

  it('should show every field of the published Graph incidents', async (ctx) => {
    const { published } = tenantFor(ctx);
    expect(await hiddenIn(published.incidents, views.incident, byId('incidents'))).toEqual([]);
  });

  // Each published finding has cveId null: installed software with no known vulnerability, which the hub shows
  // in the endpoint's software and never among its vulnerabilities.
  it("should show every field of the published findings in their endpoint's software", async (ctx) => {
    const { published } = tenantFor(ctx);
    expect(published.findings.length).toBeGreaterThan(0);
    expect(await hiddenIn(published.findings, views.software, softwareOf)).toEqual([]);
  });
});
