import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { simGet, useSimulator } from '../support/simulator.js';
import { csvObjects } from '../support/csv.js';
import { AWKWARD_QUERY, AWKWARD_VALUES, expectedCsvRecords } from '../support/hunting.js';
import { addIntegrationArgs, dataDirEnv, expectOneClearLine, runCli } from './cli.js';
import type { TruthMachine } from '../../src/simulator/control.js';

interface HuntJson {
  schema: { name: string; type: string }[];
  results: Record<string, unknown>[];
  source: string;
}
interface SavedJson {
  id: number;
  name: string;
  query: string;
  timespan: string | null;
  description: string | null;
}

describe('defender-hub hunt', () => {
  it('should save a query, run it by name as CSV that reads back to its JSON rows, list and remove it', async () => {
    const sim = await useSimulator({ machines: 80, seed: 31, findingsPerMachine: 1 });
    const truth = await simGet<TruthMachine[]>(sim, '/_sim/truth/machines');
    const env = dataDirEnv();
    const caFile = join(env.HUB_DATA_DIR!, 'ca.pem');
    writeFileSync(caFile, sim.caPem);
    const add = await runCli(addIntegrationArgs(sim, { name: 'sim', caFile }), env);
    expect(add.code, add.stderr).toBe(0);

    // The saved timespan reaches back past the default 30 days, so every machine is a row.
    const saveArgs = [
      'hunt',
      'save',
      '--name',
      'awkward',
      '--timespan',
      'P3650D',
      '--description',
      'tags',
      AWKWARD_QUERY,
    ];
    const save = await runCli([...saveArgs, '--json'], env);
    expect(save.code, save.stderr).toBe(0);
    const saved = JSON.parse(save.stdout) as SavedJson;
    expect(saved).toMatchObject({
      name: 'awkward',
      query: AWKWARD_QUERY,
      timespan: 'P3650D',
      description: 'tags',
    });

    const run = ['hunt', '--integration', 'sim', '--saved', 'awkward'];
    const [csv, json, list, duplicate, missing, neither] = await Promise.all([
      runCli([...run, '--format', 'csv'], env),
      runCli([...run, '--format', 'json'], env),
      runCli(['hunt', 'list', '--json'], env),
      runCli(saveArgs, env),
      runCli(['hunt', '--integration', 'sim', '--saved', 'nothing'], env),
      runCli(['hunt', '--integration', 'sim'], env),
    ]);
    expect(json.code, json.stderr).toBe(0);
    const result = JSON.parse(json.stdout) as HuntJson;
    expect(result.source).toBe('graph');
    expect(result.results.map((r) => r.DeviceId)).toEqual(truth.map((m) => m.id).sort());

    expect(csv.code, csv.stderr).toBe(0);
    const names = result.schema.map((c) => c.name);
    const records = csvObjects(csv.stdout);
    expect(Object.keys(records[0] ?? {})).toEqual(names);
    expect(records).toEqual(expectedCsvRecords(names, result.results));
    expect(result.results[0]).toMatchObject(AWKWARD_VALUES);

    expect(list.code, list.stderr).toBe(0);
    expect((JSON.parse(list.stdout) as SavedJson[]).map((q) => [q.id, q.name])).toEqual([
      [saved.id, 'awkward'],
    ]);
    expectOneClearLine(duplicate, /"awkward" exists already.*\[HUNTING_SAVED_QUERY_NAME_TAKEN\]$/);
    expectOneClearLine(missing, /No saved hunting query named "nothing".*\[HUNTING_SAVED_QUERY_NOT_FOUND\]$/);
    expectOneClearLine(neither, /either a query or --saved NAME.*\[USAGE\]$/);

    const remove = await runCli(['hunt', 'remove', 'awkward'], env);
    expect(remove.code, remove.stderr).toBe(0);
    expect(remove.stdout).toBe(`Removed saved hunting query "awkward" (${saved.id}).\n`);
  });
});
