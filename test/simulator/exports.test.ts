import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readFixture, requireFixtures } from '../support/fixtures.js';
import { readAllPages, SimHarness, type ODataPage, type Summary } from './helpers.js';

const EXPORT = '/api/machines/SoftwareVulnerabilitiesByMachine';
const CHANGES = '/api/machines/SoftwareVulnerabilityChangesByMachine';

interface ExportFiles {
  '@odata.context': string;
  exportFiles: string[];
  generatedTime: string;
}

/** The published example's members, plus cvssScore: in the export's field table, left out of its examples. */
function documentedMembers(file: string): string[] {
  const example = (JSON.parse(readFixture('defender', file)) as ODataPage).value[0];
  const keys = Object.keys(example ?? {});
  const at = keys.indexOf('cveId') + 1;
  return [...keys.slice(0, at), 'cvssScore', ...keys.slice(at)];
}

describe('JSON export (SoftwareVulnerabilitiesByMachine)', async () => {
  const harness = await SimHarness.start({ machines: 600, seed: 31, findingsPerMachine: 20 });
  const token = await harness.token();
  const summary = await harness.json<Summary>('/_sim/truth/summary');

  it('should page by nextLink and return exactly the truth, each record once', async () => {
    const first = await harness.json<ODataPage>(`${EXPORT}?pageSize=1000`, token);
    expect(first['@odata.context']).toBe(
      `${harness.sim.url}/api/$metadata#Collection(microsoft.windowsDefenderATP.api.AssetVulnerability)`,
    );
    expect(first['@odata.nextLink']).toMatch(
      new RegExp(`^${harness.sim.url}${EXPORT}\\?pagesize=1000&\\$skiptoken=`),
    );
    const { records, pages } = await readAllPages(harness, `${EXPORT}?pageSize=1000`, token);
    expect(records).toHaveLength(summary.findings);
    expect(new Set(records.map((r) => r.id)).size).toBe(summary.findings);
    expect(pages).toBe(Math.ceil(summary.findings / 1000));
    expect(records.filter((r) => r.cveId === null)).toHaveLength(summary.findingsWithoutCve);
  });

  it('should send the published record shape, consistent with the catalog', async (ctx) => {
    requireFixtures(ctx);
    const members = documentedMembers('software-vulnerabilities-by-machine.json');
    const { value } = await harness.json<ODataPage>(`${EXPORT}?$top=300`, token);
    const catalog = new Map(
      (await harness.json<ODataPage>('/api/vulnerabilities', token)).value.map((v) => [v.id, v]),
    );
    for (const record of value) {
      expect(Object.keys(record)).toEqual(members);
      expect(record.lastSeenTimestamp).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
      expect(record.id).toBe(
        `${String(record.deviceId)}_${String(record.softwareName)}_${String(record.softwareVersion)}_${typeof record.cveId === 'string' ? record.cveId : ''}_`,
      );
      if (record.cveId === null) continue;
      const entry = catalog.get(record.cveId);
      expect(record.vulnerabilitySeverityLevel).toBe(entry?.severity);
      expect(record.cvssScore).toBe(entry?.cvssV3);
      const level = entry?.exploitInKit
        ? 'ExploitIsInKit'
        : entry?.exploitVerified
          ? 'ExploitIsVerified'
          : entry?.publicExploit
            ? 'ExploitIsPublic'
            : 'NoExploit';
      expect(record.exploitabilityLevel).toBe(level);
    }
  });

  it('should honour $top without a nextLink and refuse a page size over 200,000', async () => {
    const top = await harness.json<ODataPage>(`${EXPORT}?$top=50`, token);
    expect(top.value).toHaveLength(50);
    expect(top['@odata.nextLink']).toBeUndefined();
    expect((await harness.call(`${EXPORT}?pageSize=200001`, { token })).status).toBe(400);
    expect((await harness.call(`${EXPORT}?$skiptoken=garbage`, { token })).status).toBe(400);
  });

  it('should match the per-machine truth', async () => {
    const machines = await harness.json<{ id: string; findings: number }[]>('/_sim/truth/machines');
    const busy = machines.find((m) => m.findings > 10);
    const truth = await harness.json<Record<string, unknown>[]>(
      `/_sim/truth/findings?machineId=${String(busy?.id)}`,
    );
    expect(truth).toHaveLength(busy?.findings ?? -1);
    const { records } = await readAllPages(harness, `${EXPORT}?pageSize=5000`, token);
    expect(records.filter((r) => r.deviceId === busy?.id)).toEqual(truth);
  });
});

describe('via-files export (SoftwareVulnerabilitiesExport)', async () => {
  const harness = await SimHarness.start({
    machines: 700,
    seed: 32,
    findingsPerMachine: 10,
    exportFileMachines: 300,
  });
  const token = await harness.token();
  const summary = await harness.json<Summary>('/_sim/truth/summary');

  it('should list SAS URLs whose files are gzip JSON lines covering the whole tenant', async () => {
    const files = await harness.json<ExportFiles>(
      '/api/machines/SoftwareVulnerabilitiesExport?sasValidHours=2',
      token,
    );
    expect(files['@odata.context']).toMatch(/#microsoft\.windowsDefenderATP\.api\.ExportFilesResponse$/);
    expect(files.exportFiles).toHaveLength(3);
    expect(files.generatedTime).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    let lines = 0;
    const ids = new Set<unknown>();
    for (const url of files.exportFiles) {
      expect(url).toMatch(
        /\/_blob\/tvm-export\/\d{4}-\d{2}-\d{2}\/[^/]+\/part-\d{5}\.json\.gz\?sv=2020-08-04&st=.+&se=.+&sr=b&sp=r&sig=/,
      );
      const response = await harness.agent.request({
        origin: new URL(url).origin,
        path: url.slice(new URL(url).origin.length),
        method: 'GET',
      });
      expect(response.statusCode).toBe(200);
      const body = Buffer.from(await response.body.arrayBuffer());
      for (const line of gunzipSync(body).toString('utf8').split('\n')) {
        if (line === '') continue;
        const record = JSON.parse(line) as Record<string, unknown>;
        ids.add(record.id);
        lines++;
      }
    }
    expect(lines).toBe(summary.findings);
    expect(ids.size).toBe(summary.findings);
  });

  /** A file's status, its content-length header and its records. */
  async function download(url: string) {
    const origin = new URL(url).origin;
    const response = await harness.agent.request({ origin, path: url.slice(origin.length), method: 'GET' });
    const body = Buffer.from(await response.body.arrayBuffer());
    const lines = gunzipSync(body).toString('utf8').split('\n');
    return {
      status: response.statusCode,
      length: response.headers['content-length'],
      bytes: body.length,
      records: lines.filter((line) => line !== '').map((line) => JSON.parse(line) as Record<string, unknown>),
    };
  }

  it('should serve prepared files with the records it generates, until the clock moves on or a fault applies', async () => {
    const listed = async () =>
      (await harness.json<ExportFiles>('/api/machines/SoftwareVulnerabilitiesExport', token)).exportFiles;
    const urls = await listed();
    const generated = await Promise.all(urls.map(download));
    // Generated while downloading: streamed, with no length known up front.
    expect(generated.map((file) => file.length)).toEqual([undefined, undefined, undefined]);
    const prepared = await harness.post<{ epoch: number; files: number; bytes: number }>(
      '/_sim/exports/prepare',
      {},
    );
    expect(prepared.files).toBe(3);
    const served = await Promise.all(urls.map(download));
    expect(served.map((file) => Number(file.length))).toEqual(served.map((file) => file.bytes));
    expect(served.reduce((sum, file) => sum + file.bytes, 0)).toBe(prepared.bytes);
    expect(served.map((file) => file.records)).toEqual(generated.map((file) => file.records));
    await harness.post('/_sim/faults', { queue: [{ fault: 'malformed', path: '/_blob/', count: 1 }] });
    const faulted = await download(urls[0] ?? '');
    expect(faulted.length).toBeUndefined();
    expect(faulted.records[0]).not.toEqual(generated[0]?.records[0]);
    await harness.post('/_sim/advance', { hours: 1 });
    const next = await Promise.all((await listed()).map(download));
    expect(next.map((file) => file.length)).toEqual([undefined, undefined, undefined]);
    const after = await harness.json<Summary>('/_sim/truth/summary');
    expect(next.reduce((sum, file) => sum + file.records.length, 0)).toBe(after.findings);
  });

  it('should refuse a tampered signature and, after the clock passes se, an expired one', async () => {
    const files = await harness.json<ExportFiles>('/api/machines/SoftwareVulnerabilitiesExport', token);
    const url = files.exportFiles[0] ?? '';
    const tampered = await harness.call(url.replace(/sig=[^&]+/, 'sig=AAAA'));
    expect(tampered.status).toBe(403);
    expect(tampered.text).toContain('<Code>AuthenticationFailed</Code>');
    expect(tampered.text).toContain('Signature did not match');
    expect((await harness.call(url)).status).toBe(200);
    await harness.post('/_sim/advance', { hours: 2 });
    const expired = await harness.call(url);
    expect(expired.status).toBe(403);
    expect(expired.headers['content-type']).toBe('application/xml');
    expect(expired.text).toContain('Signature not valid in the specified time frame');
  });
});

describe('delta export (SoftwareVulnerabilityChangesByMachine)', async () => {
  const harness = await SimHarness.start({ machines: 400, seed: 33, findingsPerMachine: 15 });
  const token = await harness.token();

  it('should report New and Fixed records that turn the old snapshot into the new one', async (ctx) => {
    requireFixtures(ctx);
    const members = documentedMembers('software-vulnerability-changes-by-machine.json');
    const before = (await readAllPages(harness, `${EXPORT}?pageSize=4000`, token)).records;
    const machinesBefore = new Set(
      (await harness.json<{ id: string }[]>('/_sim/truth/machines')).map((m) => m.id),
    );
    const since = (await harness.json<Summary>('/_sim/truth/summary')).now;
    await harness.post('/_sim/advance', { hours: 24 });
    const after = (await readAllPages(harness, `${EXPORT}?pageSize=4000`, token)).records;
    const machinesAfter = new Set(
      (await harness.json<{ id: string }[]>('/_sim/truth/machines')).map((m) => m.id),
    );
    const { records: changes } = await readAllPages(
      harness,
      `${CHANGES}?sinceTime=${since}&pageSize=50`,
      token,
    );
    expect(changes.length).toBeGreaterThan(0);
    for (const change of changes) {
      expect(Object.keys(change)).toEqual(members);
      expect(['New', 'Fixed']).toContain(change.status);
      expect(change.eventTimestamp).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{7}$/);
    }
    const fixed = new Set(changes.filter((c) => c.status === 'Fixed').map((c) => c.id));
    const added = changes.filter((c) => c.status === 'New').map((c) => c.id);
    expect(fixed.size).toBeGreaterThan(0);
    expect(added.length).toBeGreaterThan(0);
    // The changes turn the old snapshot into the new one, machines that left (their findings Fixed) included.
    const expected = new Set(before.map((r) => r.id).filter((id) => !fixed.has(id)));
    for (const id of added) expected.add(id);
    expect(new Set(after.map((r) => r.id))).toEqual(expected);
    const left = before.filter((r) => !machinesAfter.has(String(r.deviceId)));
    expect(left.length).toBeGreaterThan(0);
    expect(left.every((r) => fixed.has(r.id))).toBe(true);
    // Machines that arrived bring all their findings as New.
    const arrived = after.filter((r) => !machinesBefore.has(String(r.deviceId))).map((r) => r.id);
    expect(arrived.every((id) => added.includes(id))).toBe(true);
  });

  it('should change an eighth as much with churn 0.125', async () => {
    // Fresh tenants: a first advance's changes are its epoch's alone.
    const usualTenant = await SimHarness.start({ machines: 400, seed: 34, findingsPerMachine: 15 });
    const calm = await SimHarness.start({ machines: 400, seed: 34, findingsPerMachine: 15, churn: 0.125 });
    const changesAfterAdvance = async (sim: SimHarness): Promise<number> => {
      const simToken = await sim.token();
      const since = (await sim.json<Summary>('/_sim/truth/summary')).now;
      await sim.post('/_sim/advance', { hours: 1 });
      return (await readAllPages(sim, `${CHANGES}?sinceTime=${since}&pageSize=5000`, simToken)).records
        .length;
    };
    const usual = await changesAfterAdvance(usualTenant);
    const eighth = await changesAfterAdvance(calm);
    const findings = (await calm.json<Summary>('/_sim/truth/summary')).findings;
    expect(eighth).toBeLessThan(usual / 4);
    // About 1 % of the findings: fixed, found, and those of the machines that left or arrived.
    expect(eighth / findings).toBeGreaterThan(0.005);
    expect(eighth / findings).toBeLessThan(0.03);
  });

  it('should refuse a missing sinceTime and one more than 14 days back', async () => {
    expect((await harness.call(CHANGES, { token })).status).toBe(400);
    const old = await harness.call(`${CHANGES}?sinceTime=2026-10-01T00:00:00Z`, { token });
    expect(old.status).toBe(400);
    expect(JSON.parse(old.text)).toMatchObject({ error: { code: 'InvalidInput' } });
  });
});
