import { describe, expect, it } from 'vitest';
import {
  dueFor,
  dueNow,
  newlyEnabled,
  plannedDatasets,
  retryAfterFailureMinutes,
  type LastRun,
  type LastRuns,
} from '../../src/app/schedule-due.js';
import {
  filtersSchema,
  importsSchema,
  schedulesSchema,
  protectedDevicesSchema,
} from '../../src/integrations/integration-schema.js';
import type { Imports, Integration, Schedules } from '../../src/domain/integration.js';
import { demoSchedules } from '../../src/cli/demo-sync.js';

const now = new Date('2025-06-01T12:00:00.000Z');
const minutesAgo = (m: number): string => new Date(now.getTime() - m * 60_000).toISOString();

function integration(
  change: { id?: string; enabled?: boolean; imports?: Partial<Imports>; schedules?: Partial<Schedules> } = {},
): Integration {
  return {
    id: change.id ?? 'i1',
    name: change.id ?? 'i1',
    product: 'endpoint',
    tenantId: 'contoso.onmicrosoft.com',
    clientId: '00000000-0000-0000-0000-000000000001',
    credential: {
      type: 'secret',
      set: true,
      setAt: minutesAgo(10_000),
      expiresAt: null,
      checkedAt: null,
      warnings: [],
    },
    apiBaseUrl: 'https://api.security.microsoft.com',
    authorityHost: null,
    graphBaseUrl: null,
    armBaseUrl: null,
    subscriptions: [],
    caPem: null,
    enabled: change.enabled ?? true,
    imports: importsSchema.parse(change.imports ?? {}),
    schedules: schedulesSchema.parse(change.schedules ?? {}),
    filters: filtersSchema.parse({}),
    protectedDevices: protectedDevicesSchema.parse({}),
    createdAt: minutesAgo(10_000),
    updatedAt: minutesAgo(10_000),
  };
}

const allImportsOff = Object.fromEntries(
  Object.keys(importsSchema.shape).map((name) => [name, false]),
) as Partial<Imports>;

/** A finished run that started `m` minutes ago and took a minute (or is still running). */
function run(m: number, status: LastRun['status'] = 'succeeded'): LastRun {
  return {
    status,
    startedAt: minutesAgo(m),
    finishedAt: status === 'running' ? null : minutesAgo(Math.max(m - 1, 0)),
  };
}

/** Every dataset ran `m` minutes ago and succeeded: the steady state. */
function allRan(m: number, change: LastRuns = {}): LastRuns {
  return {
    machines: run(m),
    vulnerabilities: run(m),
    // Findings start once machines finished.
    findings: {
      status: 'succeeded',
      startedAt: minutesAgo(Math.max(m - 1, 0)),
      finishedAt: minutesAgo(Math.max(m - 1, 0)),
    },
    alerts: run(m),
    incidents: run(m),
    machineActions: run(m),
    software: run(m),
    recommendations: run(m),
    entraDevices: run(m),
    ...change,
  };
}

const due = (i: Integration, runs: LastRuns, options = {}) => dueFor(i, runs, now, options)?.datasets ?? [];

describe('plannedDatasets', () => {
  it('should follow the import toggles, in dependency order', () => {
    expect(plannedDatasets(integration())).toEqual([
      'machines',
      'vulnerabilities',
      'findings',
      'alerts',
      'incidents',
      'machineActions',
      'software',
      'recommendations',
      'entraDevices',
    ]);
    expect(plannedDatasets(integration({ imports: { vulnerabilities: false, incidents: false } }))).toEqual([
      'machines',
      'alerts',
      'machineActions',
      'software',
      'recommendations',
      'entraDevices',
    ]);
    expect(plannedDatasets(integration({ imports: allImportsOff }))).toEqual([]);
  });
});

describe('dueFor', () => {
  it('should run nothing for a disabled integration, whatever its runs', () => {
    expect(dueFor(integration({ enabled: false }), {}, now)).toBeUndefined();
    expect(dueFor(integration({ enabled: false }), allRan(10_000), now)).toBeUndefined();
    expect(
      dueFor(integration({ enabled: false }), allRan(10_000), now, { fullSyncRequested: true }),
    ).toBeUndefined();
  });

  it('should run a full sync of every planned dataset when the integration never synced', () => {
    expect(dueFor(integration(), {}, now)).toEqual({
      integrationId: 'i1',
      full: true,
      datasets: [
        'machines',
        'vulnerabilities',
        'findings',
        'alerts',
        'incidents',
        'machineActions',
        'software',
        'recommendations',
        'entraDevices',
      ],
      reason: 'first sync',
    });
    expect(dueFor(integration({ imports: { alerts: false } }), {}, now)?.datasets).toEqual([
      'machines',
      'vulnerabilities',
      'findings',
      'incidents',
      'machineActions',
      'software',
      'recommendations',
      'entraDevices',
    ]);
  });

  it('should not call it a first sync once any dataset has a run, even a failed one', () => {
    const work = dueFor(integration(), { alerts: run(1, 'failed') }, now);
    expect(work?.full).toBe(false);
    // Findings do not wait for a machines run that never happened; listed after it, they still follow it.
    expect(work?.datasets).toEqual([
      'machines',
      'vulnerabilities',
      'findings',
      'incidents',
      'machineActions',
      'software',
      'recommendations',
      'entraDevices',
    ]);
  });

  it('should run a full sync when asked (the integration was enabled again), even if all is fresh', () => {
    expect(dueFor(integration(), allRan(1), now, { fullSyncRequested: true })).toEqual({
      integrationId: 'i1',
      full: true,
      datasets: [
        'machines',
        'vulnerabilities',
        'findings',
        'alerts',
        'incidents',
        'machineActions',
        'software',
        'recommendations',
        'entraDevices',
      ],
      reason: 'enabled',
    });
  });

  it('should run nothing when every import is switched off', () => {
    const off = integration({ imports: allImportsOff });
    expect(dueFor(off, {}, now)).toBeUndefined();
    expect(dueFor(off, {}, now, { fullSyncRequested: true })).toBeUndefined();
  });

  it('should run nothing right after a complete sync', () => {
    expect(dueFor(integration(), allRan(0), now)).toBeUndefined();
    expect(dueFor(integration(), allRan(4), now)).toBeUndefined();
  });

  it.each([
    ['alerts', 5],
    ['incidents', 5],
    ['machines', 60],
    ['vulnerabilities', 1440],
  ] as const)(
    'should run %s every %d minutes by default, counted from the last start',
    (dataset, minutes) => {
      const i = integration();
      expect(due(i, allRan(0, { [dataset]: run(minutes - 1) }))).not.toContain(dataset);
      // One millisecond short of the interval is not yet.
      const almost = {
        ...run(minutes),
        startedAt: new Date(now.getTime() - minutes * 60_000 + 1).toISOString(),
      };
      expect(due(i, allRan(0, { [dataset]: almost }))).not.toContain(dataset);
      expect(due(i, allRan(0, { [dataset]: run(minutes) }))).toContain(dataset);
      expect(due(i, allRan(0, { [dataset]: run(minutes * 3) }))).toContain(dataset);
    },
  );

  it('should follow the integration own schedules', () => {
    const i = integration({ schedules: { machines: 10, vulnerabilities: 30, alerts: 1, incidents: 2 } });
    expect(due(i, allRan(0, { alerts: run(1), incidents: run(1) }))).toEqual(['alerts']);
    expect(due(i, allRan(0, { alerts: run(1), incidents: run(2) }))).toEqual(['alerts', 'incidents']);
    expect(due(i, allRan(0, { machines: run(10), vulnerabilities: run(29) }))).toEqual(['machines']);
    expect(due(i, allRan(0, { vulnerabilities: run(30) }))).toEqual(['vulnerabilities']);
  });

  it('should list every due dataset in dependency order', () => {
    expect(due(integration(), allRan(2000))).toEqual([
      'machines',
      'vulnerabilities',
      'alerts',
      'incidents',
      'machineActions',
      'software',
      'recommendations',
      'entraDevices',
    ]);
  });

  it('should run a dataset that has no run yet at once (an import switched on later)', () => {
    const runs = allRan(1);
    delete (runs as Record<string, unknown>).incidents;
    expect(dueFor(integration(), runs, now)).toMatchObject({ full: false, datasets: ['incidents'] });
  });

  it.each(['failed', 'cancelled'] as const)(
    'should retry a %s run after %d minutes or its interval, whichever is shorter',
    (status) => {
      const i = integration();
      expect(retryAfterFailureMinutes).toBe(15);
      expect(due(i, allRan(0, { machines: run(14, status) }))).not.toContain('machines');
      expect(due(i, allRan(0, { machines: run(15, status) }))).toContain('machines');
      expect(due(i, allRan(0, { vulnerabilities: run(15, status) }))).toContain('vulnerabilities');
      expect(due(i, allRan(0, { alerts: run(4, status) }))).not.toContain('alerts');
      expect(due(i, allRan(0, { alerts: run(5, status) }))).toContain('alerts');
    },
  );

  it('should count a run in progress (here or in another process) as started, for one interval', () => {
    const i = integration();
    expect(due(i, allRan(0, { alerts: run(4, 'running') }))).not.toContain('alerts');
    expect(due(i, allRan(0, { machines: run(59, 'running') }))).not.toContain('machines');
    // A run left "running" by a process that died does not hold its dataset back for ever.
    expect(due(i, allRan(0, { alerts: run(5, 'running') }))).toContain('alerts');
    expect(due(i, allRan(0, { machines: run(60, 'running') }))).toContain('machines');
  });

  describe('findings', () => {
    it('should run right after a successful machines run', () => {
      const runs = allRan(0, {
        machines: { status: 'succeeded', startedAt: minutesAgo(3), finishedAt: minutesAgo(1) },
        findings: run(50),
      });
      expect(due(integration(), runs)).toEqual(['findings']);
    });

    it('should follow a machines run that was not permitted, as the export needs no machine permission', () => {
      const runs = allRan(0, {
        machines: { status: 'notPermitted', startedAt: minutesAgo(3), finishedAt: minutesAgo(3) },
        findings: run(50),
      });
      expect(due(integration(), runs)).toEqual(['findings']);
      // A findings run not permitted waits for the next machines run, as a success does: it is no failure.
      const after = allRan(20, {
        machines: { status: 'notPermitted', startedAt: minutesAgo(40), finishedAt: minutesAgo(40) },
        findings: { status: 'notPermitted', startedAt: minutesAgo(20), finishedAt: minutesAgo(20) },
      });
      expect(due(integration(), after)).not.toContain('findings');
    });

    it('should run when machines succeeded and findings never ran', () => {
      const runs = allRan(0);
      delete (runs as Record<string, unknown>).findings;
      expect(due(integration(), runs)).toEqual(['findings']);
    });

    it('should wait for a machines run under way', () => {
      const i = integration();
      expect(due(i, allRan(1, { machines: run(1, 'running'), findings: run(120) }))).toEqual([]);
      const never = allRan(1, { machines: run(1, 'running') });
      delete (never as Record<string, unknown>).findings;
      expect(due(i, never)).toEqual([]);
    });

    it('should keep the machines interval on their own when no successful machines run is there to follow', () => {
      const i = integration();
      // Machines never ran, failed or was cancelled (Machine.Read.All missing, say): findings do not need it.
      const base = allRan(1);
      delete (base as Record<string, unknown>).machines;
      expect(due(i, { ...base, findings: run(120) })).toEqual(['machines', 'findings']);
      expect(due(i, { ...base, findings: run(59) })).toEqual(['machines']);
      for (const status of ['failed', 'cancelled'] as const) {
        expect(due(i, allRan(1, { machines: run(1, status), findings: run(120) }))).toEqual(['findings']);
        expect(due(i, allRan(1, { machines: run(1, status), findings: run(59) }))).toEqual([]);
        const never = allRan(1, { machines: run(1, status) });
        delete (never as Record<string, unknown>).findings;
        expect(due(i, never)).toEqual(['findings']);
      }
    });

    it('should not run again for the same machines run, however long ago it was', () => {
      const runs = allRan(59, {
        machines: { status: 'succeeded', startedAt: minutesAgo(59), finishedAt: minutesAgo(58) },
        findings: { status: 'succeeded', startedAt: minutesAgo(58), finishedAt: minutesAgo(30) },
      });
      expect(due(integration(), runs)).not.toContain('findings');
    });

    it('should not start while a findings run is in progress', () => {
      const runs = allRan(0, {
        machines: { status: 'succeeded', startedAt: minutesAgo(3), finishedAt: minutesAgo(1) },
        findings: { status: 'running', startedAt: minutesAgo(2), finishedAt: null },
      });
      expect(due(integration(), runs)).toEqual([]);
    });

    it('should retry a failed findings run after the retry delay, without a new machines run', () => {
      const failedAfter = (m: number): LastRuns =>
        allRan(0, {
          machines: { status: 'succeeded', startedAt: minutesAgo(40), finishedAt: minutesAgo(39) },
          findings: { status: 'failed', startedAt: minutesAgo(m), finishedAt: minutesAgo(m) },
        });
      expect(due(integration(), failedAfter(14))).toEqual([]);
      expect(due(integration(), failedAfter(15))).toEqual(['findings']);
    });

    it('should keep the machines interval when the machines import is off', () => {
      const i = integration({
        imports: { assets: false, software: false, recommendations: false, entraDevices: false },
      });
      expect(
        due(i, { findings: run(59), alerts: run(1), incidents: run(1), vulnerabilities: run(1) }),
      ).toEqual([]);
      expect(
        due(i, { findings: run(60), alerts: run(1), incidents: run(1), vulnerabilities: run(1) }),
      ).toEqual(['findings']);
      expect(due(i, { alerts: run(1), incidents: run(1), vulnerabilities: run(1) })).toEqual(['findings']);
    });
  });

  it('should never offer a dataset already run in this pass', () => {
    const done = new Set(['machines', 'alerts'] as const);
    expect(due(integration(), allRan(2000), { done })).toEqual([
      'vulnerabilities',
      'incidents',
      'machineActions',
      'software',
      'recommendations',
      'entraDevices',
    ]);
    // After machines ran in this pass, findings follow; machines do not come round again.
    const afterMachines = allRan(2000, {
      machines: { status: 'succeeded', startedAt: minutesAgo(1), finishedAt: minutesAgo(0) },
    });
    expect(due(integration(), afterMachines, { done: new Set(['machines'] as const) })).toEqual([
      'vulnerabilities',
      'findings',
      'alerts',
      'incidents',
      'machineActions',
      'software',
      'recommendations',
      'entraDevices',
    ]);
    // A full sync already done in this pass is not offered again.
    const all = new Set(plannedDatasets(integration()));
    expect(dueFor(integration(), {}, now, { done: all, fullSyncRequested: true })).toBeUndefined();
  });
});

describe('the demo schedules', () => {
  it('should be valid schedules that leave the production defaults as they are', () => {
    expect(schedulesSchema.parse(demoSchedules)).toMatchObject(demoSchedules);
    expect(schedulesSchema.parse({})).toMatchObject({ alerts: 5, incidents: 5, machines: 60 });
    // The schema's floors: a minute for alerts and incidents, five for machines (each run reads every machine).
    expect(schedulesSchema.safeParse({ alerts: 0 }).success).toBe(false);
    expect(schedulesSchema.safeParse({ incidents: 0 }).success).toBe(false);
    expect(schedulesSchema.safeParse({ machines: 4 }).success).toBe(false);
  });

  it('should make alerts and incidents due every minute and machines, then findings, every five', () => {
    const i = integration({ schedules: demoSchedules });
    expect(due(i, allRan(0))).toEqual([]);
    expect(due(i, allRan(1))).toEqual(['alerts', 'incidents']);
    expect(due(i, allRan(0, { alerts: run(1), incidents: run(1), machines: run(4) }))).toEqual([
      'alerts',
      'incidents',
    ]);
    expect(due(i, allRan(0, { machines: run(5) }))).toEqual(['machines']);
    const afterMachines = allRan(0, {
      machines: { status: 'succeeded', startedAt: minutesAgo(1), finishedAt: minutesAgo(0) },
      findings: run(6),
    });
    expect(due(i, afterMachines, { done: new Set(['machines'] as const) })).toEqual(['findings']);
  });
});

describe('dueNow', () => {
  it('should answer per integration, skipping busy and disabled ones', () => {
    const a = integration({ id: 'a' });
    const b = integration({ id: 'b' });
    const c = integration({ id: 'c', enabled: false });
    const d = integration({ id: 'd' });
    const runs = new Map<string, LastRuns>([
      ['a', allRan(6)],
      ['b', allRan(6)],
      ['d', allRan(1)],
    ]);
    expect(dueNow([a, b, c, d], runs, now, { busy: new Set(['b']) })).toEqual([
      { integrationId: 'a', full: false, datasets: ['alerts', 'incidents'], reason: 'schedule' },
    ]);
  });

  it('should run a first sync for an integration without runs and honour full-sync requests', () => {
    const works = dueNow(
      [integration({ id: 'new' }), integration({ id: 'back' })],
      new Map([['back', allRan(1)]]),
      now,
      {
        fullSyncRequested: new Set(['back']),
      },
    );
    expect(works.map((w) => [w.integrationId, w.full, w.reason])).toEqual([
      ['new', true, 'first sync'],
      ['back', true, 'enabled'],
    ]);
  });
});

describe('newlyEnabled', () => {
  it('should name integrations that went from disabled to enabled, and nothing on the first look', () => {
    const list = [
      integration({ id: 'a' }),
      integration({ id: 'b' }),
      integration({ id: 'c', enabled: false }),
      integration({ id: 'd' }),
    ];
    expect(newlyEnabled(new Map(), list)).toEqual([]);
    expect(
      newlyEnabled(
        new Map([
          ['a', false],
          ['b', true],
          ['c', false],
        ]),
        list,
      ),
    ).toEqual(['a']);
  });
});
