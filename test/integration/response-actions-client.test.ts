import { describe, expect, it } from 'vitest';
import {
  ActionAlreadyInProgressError,
  DefenderApiError,
  DefenderError,
  DefenderPermissionError,
  RateGovernor,
  type MachineAction,
} from '../../src/defender/index.js';
import type { SimulatorStats, TruthMachineAction } from '../../src/simulator/index.js';
import { clientFor, drain, simGet, simPost, useSimulator } from '../support/simulator.js';

const sim = await useSimulator({ machines: 300, seed: 71, findingsPerMachine: 1, retryAfterSeconds: 0 });
const client = clientFor(sim);

const used = new Set<string>();
/** A machine no other test used, alive at the current epoch (machines leave as the clock advances). */
async function freshMachine(
  filter = "healthStatus eq 'Active' and onboardingStatus eq 'Onboarded'",
): Promise<string> {
  const { ids } = await drain(client.machines.list({ filter }), (m) => m.id);
  const id = ids.find((candidate) => !used.has(candidate));
  if (id === undefined) throw new Error(`no unused machine with ${filter}`);
  used.add(id);
  return id;
}

const advanceMinutes = (minutes: number): Promise<unknown> =>
  simPost(sim, '/_sim/advance', { hours: minutes / 60 });

async function truthOf(id: string): Promise<TruthMachineAction | undefined> {
  const truth = await simGet<TruthMachineAction[]>(sim, '/_sim/truth/machine-actions');
  return truth.find((action) => action.id === id);
}

async function actionsOn(machineId: string): Promise<TruthMachineAction[]> {
  const truth = await simGet<TruthMachineAction[]>(sim, '/_sim/truth/machine-actions');
  return truth.filter((action) => action.machineId === machineId);
}

/** Follows the action, moving the simulated clock on after each status it reports. */
async function followWithClock(id: string, stepMinutes: number): Promise<string[]> {
  const seen: string[] = [];
  for await (const action of client.machineActions.watch(id, { intervalMs: 5 })) {
    seen.push(String(action.status));
    await advanceMinutes(stepMinutes);
  }
  return seen;
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail');
}

describe('response actions to their final state', () => {
  it('should run a scan Pending -> InProgress -> Succeeded, sending the documented body', async () => {
    const machineId = await freshMachine();
    const scan = await client.machineActions.runAntivirusScan(machineId, {
      comment: 'after alert',
      scanType: 'Full',
    });
    expect(scan).toMatchObject({
      type: 'RunAntiVirusScan',
      scope: 'Full',
      status: 'Pending',
      machineId,
      requestor: sim.clientId,
      requestorComment: 'after alert',
    });
    // 30 minutes land inside the 45 minutes a full scan runs, 60 after it.
    expect(await followWithClock(scan.id, 30)).toEqual(['Pending', 'InProgress', 'Succeeded']);
    expect((await client.machineActions.get(scan.id)).status).toBe('Succeeded');
  });

  it('should isolate, release and collect a package, each reported final by waitForFinal', async () => {
    const machineId = await freshMachine();
    const isolate = await client.machineActions.isolate(machineId, {
      comment: 'contain',
      isolationType: 'Selective',
    });
    const collect = await client.machineActions.collectInvestigationPackage(machineId, {
      comment: 'forensics',
    });
    expect(isolate).toMatchObject({ type: 'Isolate', scope: 'Selective' });
    expect(collect).toMatchObject({ type: 'CollectInvestigationPackage', scope: null });
    const statuses: string[] = [];
    let firstSeen: () => void = () => undefined;
    const seen = new Promise<void>((resolve) => (firstSeen = resolve));
    const waiting = client.machineActions.waitForFinal(collect.id, {
      intervalMs: 5,
      maxIntervalMs: 20,
      onStatus: (action) => {
        statuses.push(String(action.status));
        firstSeen();
      },
    });
    await seen;
    await advanceMinutes(20);
    const final: MachineAction = await waiting;
    expect(final.status).toBe('Succeeded');
    expect(statuses).toEqual(['Pending', 'Succeeded']);
    expect((await client.machineActions.waitForFinal(isolate.id, { intervalMs: 5 })).status).toBe(
      'Succeeded',
    );

    const release = await client.machineActions.release(machineId, { comment: 'clean' });
    expect(release).toMatchObject({ type: 'Unisolate', status: 'Pending', requestorComment: 'clean' });
    await advanceMinutes(5);
    expect((await client.machineActions.waitForFinal(release.id, { intervalMs: 5 })).status).toBe(
      'Succeeded',
    );
  });

  it('should report TimeOut for an action on an inactive device', async () => {
    const machineId = await freshMachine("healthStatus eq 'Inactive'");
    const isolate = await client.machineActions.isolate(machineId, {
      comment: 'offline',
      isolationType: 'Full',
    });
    expect(await followWithClock(isolate.id, 25 * 60)).toEqual(['Pending', 'TimeOut']);
  });

  it('should stop waiting when the signal aborts', async () => {
    const machineId = await freshMachine();
    const scan = await client.machineActions.runAntivirusScan(machineId, {
      comment: 'abort',
      scanType: 'Quick',
    });
    const controller = new AbortController();
    const waiting = client.machineActions.waitForFinal(scan.id, {
      intervalMs: 50,
      signal: controller.signal,
    });
    setTimeout(() => {
      controller.abort();
    }, 120);
    const error = await rejection(waiting);
    expect(error).toBeInstanceOf(DefenderError);
    expect((error as DefenderError).code).toBe('DEFENDER_ABORTED');
  });
});

describe('refusals', () => {
  it('should turn a second action of the same kind into a typed error naming the pending action', async () => {
    const machineId = await freshMachine();
    const first = await client.machineActions.isolate(machineId, { comment: 'one', isolationType: 'Full' });
    const error = await rejection(
      client.machineActions.isolate(machineId, { comment: 'two', isolationType: 'Full' }),
    );
    expect(error).toBeInstanceOf(ActionAlreadyInProgressError);
    const typed = error as ActionAlreadyInProgressError;
    expect(typed).toMatchObject({
      code: 'DEFENDER_ACTION_ALREADY_IN_PROGRESS',
      status: 400,
      apiCode: 'ActiveRequestAlreadyExists',
      machineId,
      actionType: 'Isolate',
      pendingActionId: first.id,
    });
    expect(typed.message).toContain(first.id);
    expect(await actionsOn(machineId)).toHaveLength(1);
  });

  it('should find the pending action when it was made in the portal', async () => {
    const machineId = await freshMachine();
    const portal = await simPost<TruthMachineAction>(sim, '/_sim/machine-actions', {
      machineId,
      type: 'RunAntiVirusScan',
      scope: 'Quick',
    });
    const error = await rejection(
      client.machineActions.runAntivirusScan(machineId, { comment: 'hub', scanType: 'Full' }),
    );
    expect(error).toBeInstanceOf(ActionAlreadyInProgressError);
    expect((error as ActionAlreadyInProgressError).pendingActionId).toBe(portal.id);
  });

  it('should name the missing role of each action in the permission error', async () => {
    const machineId = await freshMachine();
    await simPost(sim, '/_sim/control', { roles: ['Machine.Read.All', 'Machine.Scan'] });
    try {
      const restricted = clientFor(sim);
      for (const [call, role] of [
        [
          () => restricted.machineActions.isolate(machineId, { comment: 'x', isolationType: 'Full' }),
          'Machine.Isolate',
        ],
        [() => restricted.machineActions.release(machineId, { comment: 'x' }), 'Machine.Isolate'],
        [
          () => restricted.machineActions.collectInvestigationPackage(machineId, { comment: 'x' }),
          'Machine.CollectForensics',
        ],
      ] as const) {
        const error = await rejection(call());
        expect(error).toBeInstanceOf(DefenderPermissionError);
        const permission = error as DefenderPermissionError;
        expect(permission.code).toBe('DEFENDER_PERMISSION_MISSING');
        expect(permission.requiredRoles).toEqual([role]);
        expect(permission.message).toContain(role);
      }
      const scan = await restricted.machineActions.runAntivirusScan(machineId, {
        comment: 'ok',
        scanType: 'Quick',
      });
      expect(scan.status).toBe('Pending');
    } finally {
      await simPost(sim, '/_sim/control', { roles: null });
    }
  });

  it('should refuse an empty comment before calling Defender', async () => {
    const machineId = await freshMachine();
    const calls = client.stats.calls;
    const error = await rejection(
      client.machineActions.isolate(machineId, { comment: '  ', isolationType: 'Full' }),
    );
    expect(error).toBeInstanceOf(DefenderError);
    expect((error as DefenderError).code).toBe('DEFENDER_BAD_REQUEST');
    expect(client.stats.calls).toBe(calls);
  });
});

describe('cancelling', () => {
  it('should cancel an action under way, and refuse once it is final', async () => {
    const machineId = await freshMachine();
    const collect = await client.machineActions.collectInvestigationPackage(machineId, { comment: 'c' });
    const cancelled = await client.machineActions.cancel(collect.id, { comment: 'wrong device' });
    expect(cancelled).toMatchObject({
      id: collect.id,
      status: 'Cancelled',
      cancellationRequestor: sim.clientId,
      cancellationComment: 'wrong device',
    });
    expect((await client.machineActions.waitForFinal(collect.id, { intervalMs: 5 })).status).toBe(
      'Cancelled',
    );
    const again = await rejection(client.machineActions.cancel(collect.id, { comment: 'again' }));
    expect(again).toBeInstanceOf(DefenderApiError);
    expect(again).toMatchObject({ code: 'DEFENDER_BAD_REQUEST', status: 400 });
    expect((await truthOf(collect.id))?.status).toBe('Cancelled');
  });
});

describe('sending an action once', () => {
  const route = 'POST /api/machines/{id}/isolate';
  const routeCounts = async (): Promise<Record<string, number>> =>
    (await simGet<SimulatorStats>(sim, '/_sim/stats')).requests.byRoute[route] ?? {};

  it('should retry a 503 the service answered before acting, making one action', async () => {
    const machineId = await freshMachine();
    await simPost(sim, '/_sim/reset-stats', {});
    await simPost(sim, '/_sim/faults', {
      queue: [{ fault: '503', path: `/api/machines/${machineId}/isolate`, count: 1 }],
    });
    const isolate = await client.machineActions.isolate(machineId, {
      comment: 'after 503',
      isolationType: 'Full',
    });
    expect(isolate.status).toBe('Pending');
    expect(await routeCounts()).toEqual({ '503': 1, '201': 1 });
    expect((await actionsOn(machineId)).map((a) => a.id)).toEqual([isolate.id]);
  });

  it('should not repeat a POST after a 500 or a connection cut once the service may have acted', async () => {
    const machineId = await freshMachine();
    await simPost(sim, '/_sim/reset-stats', {});
    await simPost(sim, '/_sim/faults', {
      queue: [{ fault: '500', path: `/api/machines/${machineId}/isolate`, count: 1 }],
    });
    const failed = await rejection(
      client.machineActions.isolate(machineId, { comment: 'x', isolationType: 'Full' }),
    );
    expect(failed).toMatchObject({ code: 'DEFENDER_SERVER_ERROR', status: 500 });
    expect(await routeCounts()).toEqual({ '500': 1 });

    // The reset comes after the action was booked: the answer is lost, the action exists once.
    await simPost(sim, '/_sim/faults', {
      queue: [{ fault: 'reset', path: `/api/machines/${machineId}/isolate`, count: 1 }],
    });
    const cut = await rejection(
      client.machineActions.isolate(machineId, { comment: 'cut', isolationType: 'Full' }),
    );
    expect(cut).toBeInstanceOf(DefenderError);
    expect(Object.values(await routeCounts()).reduce((a, b) => a + b, 0)).toBe(2);
    const booked = await actionsOn(machineId);
    expect(booked.map((a) => a.requestorComment)).toEqual(['cut']);
  });

  it("should use the governor's share reserved for actions when normal calls used theirs", async () => {
    const machineId = await freshMachine();
    const governor = new RateGovernor();
    const reserved = clientFor(sim, {}, { governor });
    // 80 of 100 per minute is all that normal calls may use; an action may still go.
    for (let i = 0; i < 80; i++) await governor.acquire('default');
    const outcome = await Promise.race([
      reserved.machineActions
        .runAntivirusScan(machineId, { comment: 'now', scanType: 'Quick' })
        .then(() => 'sent'),
      new Promise<string>((resolve) => {
        setTimeout(() => {
          resolve('waited');
        }, 3000);
      }),
    ]);
    expect(outcome).toBe('sent');
    expect(governor.usage('default')[0]).toEqual({ used: 81, limit: 100 });
  });
});
