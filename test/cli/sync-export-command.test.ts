import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { describe, expect, it } from 'vitest';
import { useSimulator } from '../support/simulator.js';
import { dataDirEnv, expectOneClearLine, runCli, addIntegrationArgs } from './cli.js';
import { everyDatasetSucceeded } from '../support/datasets.js';

interface RunJson {
  integrationId: string;
  dataset: string;
  status: string;
  recordsIn: number;
  upserted: number;
  skippedReasons: Record<string, number>;
}

/** Records of one CSV text, RFC 4180: quoted fields may hold commas, quotes and line breaks. */
function csvRecords(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted && c === '"' && text[i + 1] === '"') {
      field += '"';
      i++;
    } else if (c === '"') {
      quoted = !quoted;
    } else if (!quoted && c === ',') {
      record.push(field);
      field = '';
    } else if (!quoted && c === '\r' && text[i + 1] === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      i++;
    } else {
      field += c;
    }
  }
  if (field !== '' || record.length > 0) throw new Error('the last record does not end in CRLF');
  return records;
}

describe.concurrent('defender-hub sync and export', () => {
  // A dozen CLI processes in a row, each starting Node: slow when the suite shares two cores.
  it(
    'should sync every dataset, print one JSON line per run, and export what was stored',
    { timeout: 150_000 },
    async () => {
      const sim = await useSimulator({ machines: 40, seed: 21, findingsPerMachine: 4 });
      const env = dataDirEnv();
      const add = await runCli(
        addIntegrationArgs(sim, { name: 'sim', caFile: join(env.HUB_DATA_DIR!, 'missing-ca.pem') }),
        env,
      );
      expectOneClearLine(add, /--ca-file.*missing-ca\.pem/);
      const caFile = join(env.HUB_DATA_DIR!, 'ca.pem');
      writeFileSync(caFile, sim.caPem);
      const added = await runCli(addIntegrationArgs(sim, { name: 'sim', caFile }), env);
      expect(added.code, added.stderr).toBe(0);
      expect(added.stdout).not.toContain(sim.clientSecret);

      const test = await runCli(['integrations', 'test', 'sim', '--json'], env);
      expect(test.code, test.stderr).toBe(0);
      const tested = JSON.parse(test.stdout) as { ok: boolean; steps: { name: string; ok: boolean }[] };
      expect(tested.ok).toBe(true);
      expect(tested.steps.map((s) => s.name)).toEqual([
        'token',
        'assets',
        'vulnerabilities',
        'alerts',
        'incidents',
        'software',
        'recommendations',
        'entraDevices',
      ]);

      const sync = await runCli(['sync', '--json'], env);
      expect(sync.code, sync.stderr).toBe(0);
      expect(sync.stderr).toBe('');
      const runs = sync.stdout
        .trimEnd()
        .split('\n')
        .map((line) => JSON.parse(line) as RunJson);
      // One line per run as it ends: datasets that do not read each other run side by side.
      const byName = (a: readonly string[], b: readonly string[]) => a[0]!.localeCompare(b[0]!);
      expect(runs.map((r) => [r.dataset, r.status]).sort(byName)).toEqual(
        [...everyDatasetSucceeded].sort(byName),
      );
      expect(runs[0]?.dataset).toBe('machines');
      const machines = runs[0]!;
      expect(machines.recordsIn).toBe(40);
      expect(machines.upserted).toBeGreaterThan(0);
      expect(typeof machines.skippedReasons).toBe('object');

      const one = await runCli(['sync', '--integration', 'sim', '--dataset', 'alerts'], env);
      expect(one.code, one.stderr).toBe(0);
      expect(one.stdout).toMatch(/^sim alerts: succeeded in [\d.]+ s \(\d+ read, \d+ upserted/);
      expect(one.stdout.trimEnd().split('\n')).toHaveLength(1);
      // Several datasets, named in any order, run in the sync's order; the findings read only what changed.
      const two = await runCli(['sync', '--dataset', 'findings,machines', '--json'], env);
      expect(two.code, two.stderr).toBe(0);
      const pair = two.stdout
        .trimEnd()
        .split('\n')
        .map((line) => JSON.parse(line) as RunJson & { completeness: string });
      expect(pair.map((r) => r.dataset)).toEqual(['machines', 'findings']);
      expect(pair[1]?.completeness).toMatch(/^changes since/);
      const unknown = await runCli(['sync', '--dataset', 'machines,findigns'], env);
      expect(unknown.code).not.toBe(0);
      expect(unknown.stderr).toContain("'findigns' is not a dataset. Allowed: machines, vulnerabilities");

      const csv = await runCli(['export', 'endpoints', '--format', 'csv'], env);
      expect(csv.code, csv.stderr).toBe(0);
      const records = csvRecords(csv.stdout);
      expect(records).toHaveLength(machines.upserted + 1);
      expect(records[0]).toContain('computerDnsName');
      expect(new Set(records.map((r) => r.length)).size).toBe(1);

      const outFile = join(env.HUB_DATA_DIR!, 'findings.json');
      const json = await runCli(
        ['export', 'findings', '--integration', 'sim', '--format', 'json', '--out', outFile],
        env,
      );
      expect(json.code, json.stderr).toBe(0);
      const findings = JSON.parse(readFileSync(outFile, 'utf8')) as {
        cveId: string;
        computerDnsName: string;
      }[];
      // The export holds the vulnerabilities: the stored rows with a CVE, not software reported without one.
      const store = new DatabaseSync(env.DATABASE_URL!.slice('sqlite:'.length), { readOnly: true });
      const withCve = store.prepare('select count(*) as n from findings where cve_id is not null').get() as {
        n: number;
      };
      store.close();
      expect(findings.length).toBe(withCve.n);
      expect(findings.length).toBeGreaterThan(0);
      expect(findings[0]!.cveId).toMatch(/^CVE-/);

      const ndjson = await runCli(['export', 'alerts'], env);
      expect(ndjson.code, ndjson.stderr).toBe(0);
      const alerts = ndjson.stdout
        .trimEnd()
        .split('\n')
        .map((line) => JSON.parse(line) as { alertId: string });
      expect(alerts.length).toBe(runs.find((r) => r.dataset === 'alerts')?.upserted);
      expect(new Set(alerts.map((a) => a.alertId)).size).toBe(alerts.length);

      const wrong = await runCli(['export', 'machines'], env);
      expectOneClearLine(wrong, /endpoints, findings, alerts/);

      for (const output of [sync, one, csv, json, ndjson])
        expect(output.stdout + output.stderr).not.toContain(sim.clientSecret);
    },
  );

  it('should exit 1 naming the run that failed', async () => {
    const sim = await useSimulator({ machines: 5, seed: 22, findingsPerMachine: 1 });
    const env = dataDirEnv();
    const caFile = join(env.HUB_DATA_DIR!, 'ca.pem');
    writeFileSync(caFile, sim.caPem);
    const add = await runCli(
      addIntegrationArgs(sim, { name: 'wrong-secret', caFile, secret: 'this-is-not-the-secret' }),
      env,
    );
    expect(add.code, add.stderr).toBe(0);
    const [sync, test] = await Promise.all([
      runCli(['sync', '--dataset', 'machines'], env),
      runCli(['integrations', 'test', 'wrong-secret'], env),
    ]);
    expect(sync.stdout).toMatch(/^wrong-secret machines: failed/);
    expectOneClearLine(sync, /wrong-secret machines \(DEFENDER_AUTH_WRONG_SECRET\)/);
    expect(test.stdout).toMatch(/^token\s+failed\s+\d+ ms\s+.*\[DEFENDER_AUTH_WRONG_SECRET\]$/m);
    // The sign-in failed: whether a permission is granted is not known, and the table says why.
    expect(test.stdout).toMatch(
      /^assets\s+WindowsDefenderATP\s+Machine\.Read\.All, Machine\.ReadWrite\.All\s+not known: the WindowsDefenderATP sign-in failed \(DEFENDER_AUTH_WRONG_SECRET\)\s/m,
    );
    expectOneClearLine(
      test,
      /connection test of "wrong-secret" failed: token \(DEFENDER_AUTH_WRONG_SECRET\)/,
    );
    for (const output of [sync, test])
      expect(output.stdout + output.stderr).not.toContain('this-is-not-the-secret');
  });
});
