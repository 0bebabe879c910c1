import { describe, expect, it } from 'vitest';
import { readFixture, requireFixtures } from '../support/fixtures.js';
import { SimHarness, type ODataPage } from './helpers.js';

interface TruthSoftware {
  id: string;
  installedMachines: number;
  exposedMachines: number;
  weaknesses: number;
  impactScore: number;
  endOfSupportStatus: string;
  recommendation: boolean;
}
interface TruthSoftwareMachine {
  id: string;
  version: string;
  exposed: boolean;
}
interface TruthScore {
  score: number;
  time: string;
  byMachineGroups: Record<string, unknown>[];
}
type Row = Record<string, unknown>;

const harness = await SimHarness.start({ machines: 1200, seed: 9, findingsPerMachine: 6 });
const token = await harness.token();
const truth = await harness.json<TruthSoftware[]>('/_sim/truth/software');

const get = <T = ODataPage>(path: string): Promise<T> => harness.json<T>(path, token);
const truthMachines = (id: string): Promise<TruthSoftwareMachine[]> =>
  harness.json<TruthSoftwareMachine[]>(`/_sim/truth/software/${id}/machines`);

/** Steps `$skip` by `$top` until a short page, as the client does. */
async function stepAll(path: string, top: number): Promise<Row[]> {
  const rows: Row[] = [];
  const sep = path.includes('?') ? '&' : '?';
  for (let skip = 0; ; skip += top) {
    const { value } = await get(`${path}${sep}$top=${top}&$skip=${skip}`);
    rows.push(...value);
    if (value.length < top) return rows;
  }
}

const biggest = [...truth].sort((a, b) => b.installedMachines - a.installedMachines)[0];
const someExposed = truth.find((s) => s.exposedMachines > 0 && s.exposedMachines < s.installedMachines);

describe('GET /api/Software', () => {
  it('should list every installed product with the published fields and the counts of the truth', async (ctx) => {
    requireFixtures(ctx);
    const published = JSON.parse(readFixture('defender', 'software-list.json')) as ODataPage;
    expect(truth.length).toBeGreaterThan(10);
    const page = await get('/api/Software');
    expect(page['@odata.context']).toBe(`${harness.sim.url}/api/$metadata#Software`);
    expect(page['@odata.nextLink']).toBeUndefined();
    expect(page.value.map((s) => s.id)).toEqual(truth.map((s) => s.id));
    for (const [i, software] of page.value.entries()) {
      for (const key of Object.keys(published.value[0] ?? {})) expect(software).toHaveProperty(key);
      const expected = truth[i];
      expect(software).toMatchObject({
        installedMachines: expected?.installedMachines,
        exposedMachines: expected?.exposedMachines,
        weaknesses: expected?.weaknesses,
        impactScore: expected?.impactScore,
        endOfSupportStatus: expected?.endOfSupportStatus,
      });
      expect(software.id).toBe(`${String(software.vendor)}-_-${String(software.name)}`);
      expect(Number(software.exposedMachines)).toBeLessThanOrEqual(Number(software.installedMachines));
    }
  });

  it('should page with $top and $skip and refuse a $top over 10,000', async () => {
    const stepped = await stepAll('/api/Software', 4);
    expect(stepped.map((s) => s.id)).toEqual(truth.map((s) => s.id));
    const tooMany = await harness.call('/api/Software?$top=10001', { token });
    expect(tooMany.status).toBe(400);
    expect(JSON.parse(tooMany.text)).toMatchObject({ error: { code: 'BadRequest' } });
  });

  it.each([
    ["vendor eq 'microsoft'", (s: TruthSoftware) => s.id.startsWith('microsoft-_-')],
    ["id eq 'google-_-chrome'", (s: TruthSoftware) => s.id === 'google-_-chrome'],
    [
      "name eq 'edge' or vendor eq 'mozilla'",
      (s: TruthSoftware) => /^(microsoft-_-edge|mozilla-_-.*)$/.test(s.id),
    ],
  ])('should filter with %s', async (filter, predicate) => {
    const expected = truth.filter(predicate).map((s) => s.id);
    expect(expected.length).toBeGreaterThan(0);
    const { value } = await get(`/api/Software?$filter=${encodeURIComponent(filter)}`);
    expect(value.map((s) => s.id)).toEqual(expected);
  });

  it('should refuse a filter on a property the list does not document', async () => {
    const reply = await harness.call(`/api/Software?$filter=${encodeURIComponent('weaknesses gt 3')}`, {
      token,
    });
    expect(reply.status).toBe(400);
    expect(JSON.parse(reply.text)).toMatchObject({ error: { code: 'InvalidInput' } });
  });
});

describe('GET /api/Software/{id}', () => {
  it('should answer the list record as an entity, and 404 with the real error body otherwise', async (ctx) => {
    requireFixtures(ctx);
    const publishedError = JSON.parse(readFixture('defender', 'error-resource-not-found.json')) as {
      error: Row;
    };
    const listed = (await get(`/api/Software?$filter=${encodeURIComponent("id eq 'microsoft-_-edge'")}`))
      .value[0];
    const one = await get<Row>('/api/Software/microsoft-_-edge');
    expect(one).toEqual({ '@odata.context': `${harness.sim.url}/api/$metadata#Software/$entity`, ...listed });
    const missing = await harness.call('/api/Software/contoso-_-nothing', { token });
    expect(missing.status).toBe(404);
    const body = JSON.parse(missing.text) as { error: Row };
    expect(Object.keys(body.error)).toEqual(Object.keys(publishedError.error));
    expect(body.error).toMatchObject({
      code: 'ResourceNotFound',
      message: 'Software contoso-_-nothing was not found',
    });
    expect((await harness.call('/api/Software/contoso-_-nothing/machineReferences', { token })).status).toBe(
      404,
    );
  });

  it('should give the machines it is installed on, exactly the truth, paged', async (ctx) => {
    requireFixtures(ctx);
    const publishedRefs = JSON.parse(readFixture('defender', 'machine-references.json')) as ODataPage;
    for (const software of [biggest, someExposed]) {
      const id = String(software?.id);
      const expected = await truthMachines(id);
      expect(expected).toHaveLength(software?.installedMachines ?? -1);
      expect(expected.filter((m) => m.exposed)).toHaveLength(software?.exposedMachines ?? -1);
      const refs = await stepAll(`/api/Software/${id}/machineReferences`, 250);
      expect(refs.map((r) => r.id)).toEqual(expected.map((m) => m.id));
      for (const key of Object.keys(publishedRefs.value[0] ?? {})) expect(refs[0]).toHaveProperty(key);
      expect(refs[0]).toHaveProperty('rbacGroupId');
    }
  });

  it('should list its open CVEs (its weaknesses), the same ones the findings of its machines carry', async () => {
    const software = someExposed as TruthSoftware;
    const vulnerabilities = (await get(`/api/Software/${software.id}/vulnerabilities`)).value;
    expect(vulnerabilities).toHaveLength(software.weaknesses);
    const listed = new Set(vulnerabilities.map((v) => String(v.id)));
    const name = software.id.split('-_-')[1];
    const machines = await truthMachines(software.id);
    const exposed = machines.filter((m) => m.exposed).slice(0, 5);
    const clean = machines.filter((m) => !m.exposed).slice(0, 5);
    for (const machine of [...exposed, ...clean]) {
      const findings = await harness.json<Row[]>(`/_sim/truth/findings?machineId=${machine.id}`);
      const cves = findings.filter((f) => f.softwareName === name && f.cveId !== null).map((f) => f.cveId);
      expect(cves.length > 0).toBe(machine.exposed);
      for (const cve of cves) expect(listed.has(String(cve))).toBe(true);
    }
  });

  it('should spread its installations over versions', async () => {
    const software = biggest as TruthSoftware;
    const rows = (await get(`/api/Software/${software.id}/distributions`)).value;
    expect(rows.reduce((n, r) => n + Number(r.installations), 0)).toBe(software.installedMachines);
    const machines = await truthMachines(software.id);
    for (const row of rows)
      expect(row.installations).toBe(machines.filter((m) => m.version === row.version).length);
  });
});

describe('GET /api/machines/{id}/software', () => {
  it('should list what the machine has installed, consistent with its findings rows', async () => {
    const machines = (await get('/api/machines?$top=40')).value;
    let checked = 0;
    for (const machine of machines) {
      const id = String(machine.id);
      const installed = (await get(`/api/machines/${id}/software`)).value;
      const findings = await harness.json<Row[]>(`/_sim/truth/findings?machineId=${id}`);
      const ids = new Set(installed.map((s) => String(s.id)));
      for (const f of findings)
        expect(ids.has(`${String(f.softwareVendor)}-_-${String(f.softwareName)}`)).toBe(true);
      for (const software of installed) {
        const row = truth.find((t) => t.id === software.id);
        expect(software.installedMachines).toBe(row?.installedMachines);
      }
      if (installed.length > 0) checked++;
    }
    expect(checked).toBeGreaterThan(20);
    expect((await harness.call('/api/machines/123123123/software', { token })).status).toBe(404);
  });
});

describe('security recommendations and exposure score', () => {
  it('should recommend an update per exposed product and an upgrade for software out of support', async () => {
    const { value } = await get('/api/recommendations');
    expect(value.map((r) => r.id).sort()).toEqual(
      truth
        .filter((s) => s.recommendation)
        .map((s) => `va-_-${s.id}`)
        .sort(),
    );
    for (const rec of value) {
      const software = truth.find((s) => `va-_-${s.id}` === rec.id);
      expect(rec).toMatchObject({
        totalMachineCount: software?.installedMachines,
        exposedMachinesCount: software?.exposedMachines,
        weaknesses: software?.weaknesses,
        exposureImpact: software?.impactScore,
        status: 'Active',
        remediationType: software?.endOfSupportStatus === 'EOS Software' ? 'Upgrade' : 'Update',
      });
    }
    const impacts = value.map((r) => Number(r.exposureImpact));
    expect(impacts).toEqual([...impacts].sort((a, b) => b - a));
    const windows10 = value.find((r) => r.id === 'va-_-microsoft-_-windows_10');
    expect(windows10).toMatchObject({ remediationType: 'Upgrade', recommendedProgram: 'windows_11' });
    const updates = await get(
      `/api/recommendations?$filter=${encodeURIComponent("remediationType eq 'Update'")}`,
    );
    expect(updates.value.length).toBe(value.filter((r) => r.remediationType === 'Update').length);
  });

  it('should name the exposed devices of a recommendation and answer 404 for an unknown one', async () => {
    const software = someExposed as TruthSoftware;
    const refs = await stepAll(`/api/recommendations/va-_-${software.id}/machineReferences`, 100);
    const expected = (await truthMachines(software.id)).filter((m) => m.exposed).map((m) => m.id);
    expect(refs.map((r) => r.id)).toEqual(expected);
    const one = await get<Row>(`/api/recommendations/va-_-${software.id}`);
    expect(one.exposedMachinesCount).toBe(software.exposedMachines);
    expect((await harness.call('/api/recommendations/va-_-contoso-_-nothing', { token })).status).toBe(404);
  });

  it('should give the exposure score of the truth, the sum of the software impacts', async () => {
    const expected = await harness.json<TruthScore>('/_sim/truth/exposure-score');
    const score = await get<Row>('/api/exposureScore');
    expect(score).toEqual({
      '@odata.context': `${harness.sim.url}/api/$metadata#ExposureScore/$entity`,
      time: expected.time,
      score: expected.score,
    });
    expect(expected.score).toBeGreaterThan(0);
    expect(expected.score).toBeLessThan(100);
    const sum = truth.reduce((n, s) => n + s.impactScore, 0);
    expect(Math.abs(sum - expected.score)).toBeLessThan(1e-6);
    const groups = await get('/api/exposureScore/ByMachineGroups');
    expect(groups.value).toEqual(expected.byMachineGroups);
    expect(groups.value.length).toBeGreaterThan(3);
  });
});

describe('roles', () => {
  it.each([
    ['/api/Software', 'Software.Read.All'],
    ['/api/Software/microsoft-_-edge/machineReferences', 'Software.Read.All'],
    ['/api/recommendations', 'SecurityRecommendation.Read.All'],
    ['/api/exposureScore', 'Score.Read.All'],
  ])('should refuse %s without %s and serve it with it', async (path, role) => {
    try {
      await harness.post('/_sim/control', { roles: ['Machine.Read.All', 'Vulnerability.Read.All'] });
      const without = await harness.call(path, { token: await harness.token() });
      expect(without.status).toBe(403);
      expect(JSON.parse(without.text)).toMatchObject({ error: { code: 'Forbidden' } });
      await harness.post('/_sim/control', { roles: [role] });
      expect((await harness.call(path, { token: await harness.token() })).status).toBe(200);
    } finally {
      await harness.post('/_sim/control', { roles: null });
    }
  });
});

describe('after the clock moves', () => {
  it('should recount from the new findings and stay equal to the truth', async () => {
    await harness.post('/_sim/advance', { hours: 24 });
    const later = await harness.json<TruthSoftware[]>('/_sim/truth/software');
    expect(later).not.toEqual(truth);
    const { value } = await get('/api/Software');
    expect(value.map((s) => [s.id, s.installedMachines, s.exposedMachines, s.weaknesses])).toEqual(
      later.map((s) => [s.id, s.installedMachines, s.exposedMachines, s.weaknesses]),
    );
    const software = later.find((s) => s.id === someExposed?.id) as TruthSoftware;
    const refs = await stepAll(`/api/Software/${software.id}/machineReferences`, 10_000);
    expect(refs.map((r) => r.id)).toEqual((await truthMachines(software.id)).map((m) => m.id));
  });
});
