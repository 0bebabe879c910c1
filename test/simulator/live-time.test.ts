import { describe, expect, it } from 'vitest';
import { GRAPH, readAllPages, SimHarness, type ODataPage } from './helpers.js';

interface ClockStatus {
  mode: string;
  speed: number | null;
  now: string;
  epoch: number;
}

type Row = Record<string, unknown>;

/** The demo's speed: a live epoch (30 simulated minutes) is a real minute. */
const SPEED = 30;
const STEP_MS = (30 * 60 * 1000) / SPEED;
const ACTIVE = encodeURIComponent("healthStatus eq 'Active' and onboardingStatus eq 'Onboarded'");
const ALERT_FIELDS = ['id', 'incidentId', 'severity', 'status', 'createdDateTime', 'lastUpdateDateTime'];
const INCIDENT_FIELDS = ['id', 'severity', 'status', 'createdDateTime', 'lastUpdateDateTime'];
const ACTION_FIELDS = ['id', 'type', 'status', 'machineId', 'creationDateTimeUtc', 'lastUpdateDateTimeUtc'];
const REPORT_FIELDS = ['id', 'lastSeen', 'healthStatus'];

function pick(row: Row | undefined, fields: readonly string[]): Row {
  return Object.fromEntries(fields.map((field) => [field, row?.[field]]));
}

function byId(rows: readonly Row[], fields: readonly string[]): Row[] {
  return rows.map((row) => pick(row, fields)).sort((a, b) => String(a.id).localeCompare(String(b.id)));
}

const ms = (iso: unknown): number => Date.parse(`${String(iso).slice(0, 23)}Z`);

/** What the Defender API (MDE and Graph) and the truth routes say about one simulator at one instant. */
function views(harness: SimHarness, mde: string, graph: string) {
  const ids = (rows: readonly Row[]): string[] => rows.map((row) => String(row.id)).sort();
  return {
    clock: () => harness.json<ClockStatus>('/_sim/clock'),
    apiAlerts: async () =>
      byId((await readAllPages(harness, '/v1.0/security/alerts_v2?$top=1000', graph)).records, ALERT_FIELDS),
    truthAlerts: async () => byId(await harness.json<Row[]>('/_sim/truth/alerts'), ALERT_FIELDS),
    apiIncidents: async () =>
      byId(
        (await readAllPages(harness, '/v1.0/security/incidents?$top=1000', graph)).records,
        INCIDENT_FIELDS,
      ),
    truthIncidents: async () => byId(await harness.json<Row[]>('/_sim/truth/incidents'), INCIDENT_FIELDS),
    apiMachines: async () => ids((await harness.json<ODataPage>('/api/machines', mde)).value),
    truthMachines: async () => ids(await harness.json<Row[]>('/_sim/truth/machines')),
    /** Every machine's id, lastSeen and healthStatus, by id. */
    apiReports: async () => byId((await harness.json<ODataPage>('/api/machines', mde)).value, REPORT_FIELDS),
    /** The truth's machines, their id, lastSeen and healthStatus by id, and whether each is quiet now. */
    truthReports: async () => {
      const machines = await harness.json<Row[]>('/_sim/truth/machines');
      return {
        reports: byId(machines, REPORT_FIELDS),
        quiet: new Set(machines.filter((m) => m.quiet === true).map((m) => String(m.id))),
      };
    },
    truthFindings: async (machineId: string) =>
      new Set(
        (await harness.json<Row[]>(`/_sim/truth/findings?machineId=${machineId}`)).map((f) => String(f.id)),
      ),
    apiAction: async (id: string) =>
      pick(await harness.json<Row>(`/api/machineactions/${id}`, mde), ACTION_FIELDS),
    truthAction: async (id: string) =>
      pick(
        (await harness.json<Row[]>('/_sim/truth/machine-actions')).find((a) => a.id === id),
        ACTION_FIELDS,
      ),
    isolate: async (machineId: string) => {
      const reply = await harness.call(`/api/machines/${machineId}/isolate`, {
        method: 'POST',
        token: mde,
        body: JSON.stringify({ Comment: 'live clock' }),
        headers: { 'content-type': 'application/json' },
      });
      expect(reply.status, reply.text).toBe(201);
      return JSON.parse(reply.text) as Row & { id: string; status: string };
    },
    firstActiveMachine: async () =>
      String((await harness.json<ODataPage>(`/api/machines?$filter=${ACTIVE}`, mde)).value[0]?.id),
  };
}

describe('a live tenant, its wall clock moved by the test', async () => {
  // Every read of one step happens at one instant: the API and the truth can be compared exactly.
  let wallMs = 0;
  const options = {
    machines: 120,
    seed: 73,
    findingsPerMachine: 6,
    clock: 'live' as const,
    speed: SPEED,
    wallClock: () => wallMs,
  };
  const harness = await SimHarness.start(options);
  // Same seed and wall clock, asked nothing until the end: epochs do not depend on when requests come.
  const twin = await SimHarness.start(options);
  const view = views(harness, await harness.token(), await harness.token(GRAPH));

  it('should say it is live, at what speed and when', async () => {
    expect(await view.clock()).toMatchObject({ mode: 'live', speed: SPEED, epoch: 0 });
  });

  it('should finish an isolation in 6 real seconds with no advance, its API status the truth at each instant', async () => {
    const requestedAt = wallMs;
    const action = await view.isolate(await view.firstActiveMachine());
    const seen: string[] = [];
    // Picked up after a simulated minute (2 s), done after three (6 s).
    for (const after of [0, 1000, 2000, 3000, 5999, 6000, 9000]) {
      wallMs = requestedAt + after;
      const api = await view.apiAction(action.id);
      expect(api).toEqual(await view.truthAction(action.id));
      seen.push(String(api.status));
      if (api.status === 'Succeeded')
        expect(ms(api.lastUpdateDateTimeUtc) - ms(api.creationDateTimeUtc)).toBe(3 * 60_000);
    }
    expect(seen).toEqual([
      'Pending',
      'Pending',
      'InProgress',
      'InProgress',
      'InProgress',
      'Succeeded',
      'Succeeded',
    ]);
  });

  it('should bring alerts, incidents, machines and findings as the truth says at each instant', async () => {
    const start = await view.clock();
    const alertsBefore = await view.truthAlerts();
    const incidentsBefore = await view.truthIncidents();
    const machinesBefore = await view.truthMachines();
    const findingsBefore = new Map<string, Set<string>>();
    for (const id of machinesBefore) findingsBefore.set(id, await view.truthFindings(id));

    const statuses = new Map<string, Set<unknown>>();
    const machinesSeen = new Set(machinesBefore);
    // Three quarters of a step at a time: reads land inside epochs and just after they begin.
    for (let step = 0; step < 12; step++) {
      wallMs += 0.75 * STEP_MS;
      const alerts = await view.apiAlerts();
      expect(alerts).toEqual(await view.truthAlerts());
      for (const alert of alerts)
        statuses.set(String(alert.id), (statuses.get(String(alert.id)) ?? new Set()).add(alert.status));
      expect(await view.apiIncidents()).toEqual(await view.truthIncidents());
      const machines = await view.apiMachines();
      expect(machines).toEqual(await view.truthMachines());
      for (const id of machines) machinesSeen.add(id);
    }
    const end = await view.clock();
    // 9 real minutes at 30: 4 h 30 min simulated, nine epochs of 30 minutes.
    expect(end.epoch - start.epoch).toBe(9);
    expect(ms(end.now) - ms(start.now)).toBe(9 * STEP_MS * SPEED);

    const alertsAfter = await view.truthAlerts();
    expect(alertsAfter.length).toBeGreaterThan(alertsBefore.length);
    expect([...statuses.values()].some((seen) => seen.size > 1)).toBe(true);
    expect(alertsAfter.filter((a) => a.status === 'resolved').length).toBeGreaterThan(
      alertsBefore.filter((a) => a.status === 'resolved').length,
    );
    expect((await view.truthIncidents()).length).toBeGreaterThan(incidentsBefore.length);
    // Machines come and go about 3 % a simulated day: over these 4.5 hours, most likely none (next test).
    const machinesAfter = await view.truthMachines();

    // The delta export since the first instant turns the truth of then into the truth of now.
    const { records: changes } = await readAllPages(
      harness,
      `/api/machines/SoftwareVulnerabilityChangesByMachine?sinceTime=${encodeURIComponent(start.now)}`,
      await harness.token(),
    );
    expect(changes.some((c) => c.status === 'New')).toBe(true);
    expect(changes.some((c) => c.status === 'Fixed')).toBe(true);
    for (const id of machinesAfter) {
      const expected = new Set(findingsBefore.get(id));
      for (const change of changes.filter((c) => c.deviceId === id)) {
        if (change.status === 'New') expected.add(String(change.id));
        else expected.delete(String(change.id));
      }
      expect(await view.truthFindings(id), id).toEqual(expected);
    }

    const twinView = views(twin, await twin.token(), await twin.token(GRAPH));
    expect(await twinView.clock()).toEqual(end);
    expect(await twinView.truthAlerts()).toEqual(alertsAfter);
    expect(await twinView.truthMachines()).toEqual(machinesAfter);
  });

  it('should turn the fleet over about 3 % a simulated day, the API listing what the truth lists', async () => {
    const before = await view.truthMachines();
    const seen = new Set(before);
    for (let step = 0; step < 48; step++) {
      wallMs += STEP_MS;
      const machines = await view.apiMachines();
      expect(machines).toEqual(await view.truthMachines());
      for (const id of machines) seen.add(id);
    }
    const after = await view.truthMachines();
    const left = before.filter((id) => !after.includes(id)).length;
    const arrived = [...seen].filter((id) => !before.includes(id)).length;
    // 120 machines: 3.6 a day either way.
    expect(left).toBeGreaterThan(0);
    expect(left).toBeLessThanOrEqual(8);
    expect(arrived).toBeGreaterThan(0);
    expect(arrived).toBeLessThanOrEqual(8);
  });

  it('should jump on /_sim/advance and flow on from there', async () => {
    const before = await view.clock();
    const advanced = await harness.post<{ epoch: number; now: string }>('/_sim/advance', { hours: 24 });
    expect(advanced.epoch).toBe(before.epoch + 1);
    expect(ms(advanced.now) - ms(before.now)).toBe(24 * 3_600_000);
    wallMs += STEP_MS;
    const after = await view.clock();
    expect(after.epoch).toBe(advanced.epoch + 1);
    expect(ms(after.now) - ms(advanced.now)).toBe(30 * 60_000);
    expect(await view.apiAlerts()).toEqual(await view.truthAlerts());
  });
});

describe('machines that go quiet and come back, on a live clock', async () => {
  let wallMs = 0;
  const harness = await SimHarness.start({
    machines: 150,
    seed: 75,
    findingsPerMachine: 2,
    clock: 'live',
    speed: SPEED,
    wallClock: () => wallMs,
  });
  const view = views(harness, await harness.token(), await harness.token(GRAPH));

  it("should stall a quiet machine's lastSeen, turn it Inactive after 7 days and back, the API the truth", async () => {
    const history = new Map<string, { lastSeen: string; healthStatus: string; quiet: boolean }[]>();
    // Eight simulated hours a read, 24 days.
    for (let read = 0; read < 3 * 24; read++) {
      const api = await view.apiReports();
      const { reports, quiet } = await view.truthReports();
      expect(api).toEqual(reports);
      for (const machine of api) {
        const id = String(machine.id);
        const entry = {
          lastSeen: String(machine.lastSeen),
          healthStatus: String(machine.healthStatus),
          quiet: quiet.has(id),
        };
        const past = history.get(id) ?? [];
        const previous = past.at(-1);
        if (previous !== undefined)
          expect(ms(entry.lastSeen), id).toBeGreaterThanOrEqual(ms(previous.lastSeen));
        history.set(id, [...past, entry]);
      }
      wallMs += 16 * STEP_MS;
    }
    // A machine that went quiet, stood still for days, then reported again.
    const stalledAndBack = [...history.values()].filter((reads) =>
      reads.some(
        (read, i) =>
          read.quiet &&
          reads[i + 6]?.quiet === true &&
          reads[i + 6]?.lastSeen === read.lastSeen &&
          reads.slice(i + 7).some((later) => !later.quiet && ms(later.lastSeen) > ms(read.lastSeen)),
      ),
    );
    expect(stalledAndBack.length).toBeGreaterThan(0);
    // And one that Defender called Inactive for its silence, and Active again once back.
    const inactiveAndBack = [...history.values()].filter((reads) =>
      reads.some(
        (read, i) =>
          read.quiet &&
          read.healthStatus === 'Inactive' &&
          reads.slice(i + 1).some((later) => !later.quiet && later.healthStatus === 'Active'),
      ),
    );
    expect(inactiveAndBack.length).toBeGreaterThan(0);
    // Quiet machines are reported as such: lastSeen stands still while quiet.
    for (const reads of history.values())
      for (let i = 1; i < reads.length; i++)
        if (reads[i]?.quiet === true && reads[i - 1]?.quiet === true)
          expect(reads[i]?.lastSeen).toBe(reads[i - 1]?.lastSeen);
  });
});

describe('a live tenant on the real clock', () => {
  it('should finish an isolation and begin epochs with no advance', async () => {
    // An hour a real second: an isolation takes 50 ms, an epoch half a second.
    const harness = await SimHarness.open({ machines: 40, seed: 74, clock: 'live', speed: 3600 });
    try {
      const view = views(harness, await harness.token(), await harness.token(GRAPH));
      const first = await view.clock();
      expect(first).toMatchObject({ mode: 'live', speed: 3600 });
      const alertsBefore = (await view.truthAlerts()).length;
      const action = await view.isolate(await view.firstActiveMachine());
      expect(action.status).toBe('Pending');
      await expect.poll(async () => (await view.apiAction(action.id)).status).toBe('Succeeded');
      expect(await view.apiAction(action.id)).toEqual(await view.truthAction(action.id));
      await expect.poll(async () => (await view.clock()).epoch).toBeGreaterThanOrEqual(first.epoch + 4);
      // The API and the truth agree whenever no epoch begins between the two reads.
      for (let attempt = 0; ; attempt++) {
        const epoch = (await view.clock()).epoch;
        const [api, truth] = [await view.apiAlerts(), await view.truthAlerts()];
        if ((await view.clock()).epoch !== epoch && attempt < 20) continue;
        expect(api).toEqual(truth);
        expect(api.length).toBeGreaterThan(alertsBefore);
        break;
      }
    } finally {
      await harness.close();
    }
  });
});

describe('the library default', () => {
  it('should be a frozen clock, which tests and benchmarks rely on', async () => {
    const harness = await SimHarness.open({ machines: 3 });
    try {
      const first = await harness.json<ClockStatus>('/_sim/clock');
      expect(first).toMatchObject({ mode: 'frozen', speed: null, epoch: 0 });
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(await harness.json<ClockStatus>('/_sim/clock')).toEqual(first);
    } finally {
      await harness.close();
    }
  });
});
