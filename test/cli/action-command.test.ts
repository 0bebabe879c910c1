import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { userInfo } from 'node:os';
import { describe, expect, it } from 'vitest';
import { simGet, simPost, useSimulator } from '../support/simulator.js';
import { addIntegrationArgs, dataDirEnv, expectOneClearLine, runCli } from './cli.js';
import type { TruthMachineAction } from '../../src/simulator/index.js';

interface Outcome {
  endpointId: number;
  ok: boolean;
  dryRun: boolean;
  action: {
    id: string;
    type: string;
    scope: string | null;
    status: string;
    requestedBy: string | null;
  } | null;
  wouldRequest: { type: string } | null;
}

describe('defender-hub action', () => {
  it('should scan with --wait to the final state, dry-run an isolation, list with who asked, and refuse bad flags', async () => {
    const sim = await useSimulator({ machines: 30, seed: 61, findingsPerMachine: 1 });
    const env = dataDirEnv();
    const caFile = join(env.HUB_DATA_DIR!, 'ca.pem');
    writeFileSync(caFile, sim.caPem);
    expect((await runCli(addIntegrationArgs(sim, { name: 'sim', caFile }), env)).code).toBe(0);
    expect((await runCli(['sync'], env)).code).toBe(0);
    const endpoints = JSON.parse((await runCli(['export', 'endpoints', '--format', 'json'], env)).stdout) as {
      id: number;
      healthStatus: string | null;
      onboardingStatus: string | null;
    }[];
    const [first, second] = endpoints.filter(
      (e) => e.healthStatus === 'Active' && e.onboardingStatus === 'Onboarded',
    );

    const before = (await simGet<TruthMachineAction[]>(sim, '/_sim/truth/machine-actions')).length;
    const dry = await runCli(
      [
        'action',
        'isolate',
        String(first!.id),
        String(second!.id),
        '--comment',
        'contain',
        '--dry-run',
        '--json',
      ],
      env,
    );
    expect(dry.code, dry.stderr).toBe(0);
    const dryOutcomes = JSON.parse(dry.stdout) as Outcome[];
    expect(dryOutcomes.map((o) => [o.endpointId, o.dryRun, o.wouldRequest?.type])).toEqual([
      [first!.id, true, 'Isolate'],
      [second!.id, true, 'Isolate'],
    ]);
    expect((await simGet<TruthMachineAction[]>(sim, '/_sim/truth/machine-actions')).length).toBe(before);

    // The simulated clock moves on while the CLI waits, so --wait sees the scan through.
    const scanning = runCli(
      ['action', 'scan', String(first!.id), '--comment', 'sweep', '--wait', '--json'],
      env,
    );
    const advance = setInterval(
      () => void simPost(sim, '/_sim/advance', { hours: 0.25 }).catch(() => undefined),
      500,
    );
    const scan = await scanning.finally(() => {
      clearInterval(advance);
    });
    expect(scan.code, scan.stderr).toBe(0);
    const [outcome] = JSON.parse(scan.stdout) as Outcome[];
    expect(outcome?.action).toMatchObject({ type: 'RunAntiVirusScan', scope: 'Quick', status: 'Succeeded' });

    const list = await runCli(['action', 'list', '--endpoint', String(first!.id), '--json'], env);
    expect(list.code, list.stderr).toBe(0);
    const listed = JSON.parse(list.stdout) as { items: { id: string; requestedBy: string | null }[] };
    expect(listed.items.find((a) => a.id === outcome?.action?.id)?.requestedBy).toBe(
      `cli:${userInfo().username}`,
    );

    const [noComment, badType, unknown] = await Promise.all([
      runCli(['action', 'scan', String(first!.id)], env),
      runCli(['action', 'scan', String(first!.id), '--comment', 'x', '--scan-type', 'Deep'], env),
      runCli(['action', 'release', '999999', '--comment', 'x'], env),
    ]);
    expectOneClearLine(noComment, /--comment/);
    expectOneClearLine(badType, /Deep/);
    expectOneClearLine(unknown, /\[ENDPOINT_NOT_FOUND\]/);
  });
});
