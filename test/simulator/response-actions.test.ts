import { describe, expect, it } from 'vitest';
import { readFixture, requireFixtures } from '../support/fixtures.js';
import { SimHarness, type ODataPage, type Reply } from './helpers.js';

type Action = Record<string, unknown> & { id: string; status: string };

const harness = await SimHarness.start({ machines: 400, seed: 61, findingsPerMachine: 1 });
const { sim } = harness;
const token = await harness.token();
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

async function machineIds(filter: string): Promise<string[]> {
  const page = await harness.json<ODataPage>(`/api/machines?$filter=${encodeURIComponent(filter)}`, token);
  return page.value.map((m) => String(m.id));
}

const used = new Set<string>();
/**
 * A fresh machine per test (so no test sees another's pending actions), read at the current epoch: machines
 * leave the tenant as the clock advances.
 */
async function freshMachine(
  filter = "healthStatus eq 'Active' and onboardingStatus eq 'Onboarded'",
): Promise<string> {
  const id = (await machineIds(filter)).find((candidate) => !used.has(candidate));
  if (id === undefined) throw new Error(`the seeded tenant has too few machines with ${filter}`);
  used.add(id);
  return id;
}

function post(path: string, body: unknown, as = token): Promise<Reply> {
  return harness.call(path, {
    method: 'POST',
    token: as,
    body: typeof body === 'string' ? body : JSON.stringify(body),
    headers: { 'content-type': 'application/json' },
  });
}

function created(reply: Reply, status = 201): Action {
  expect(reply.status, reply.text).toBe(status);
  return JSON.parse(reply.text) as Action;
}

function expectMdeError(reply: Reply, status: number, code: string, message?: string | RegExp): void {
  expect(reply.status, reply.text).toBe(status);
  const body = JSON.parse(reply.text) as { error: Record<string, unknown> };
  expect(Object.keys(body)).toEqual(['error']);
  expect(Object.keys(body.error).sort()).toEqual(['code', 'message', 'target']);
  expect(body.error.code).toBe(code);
  expect(body.error.target).toMatch(GUID);
  if (typeof message === 'string') expect(body.error.message).toBe(message);
  else if (message !== undefined) expect(body.error.message).toMatch(message);
}

const getAction = (id: string): Promise<Action> => harness.json<Action>(`/api/machineactions/${id}`, token);
const advanceMinutes = (minutes: number): Promise<{ now: string }> =>
  harness.post<{ now: string }>('/_sim/advance', { hours: minutes / 60 });
const ms = (iso: unknown): number => Date.parse(`${String(iso).slice(0, 23)}Z`);

async function withRoles<T>(roles: string[], run: (restricted: string) => Promise<T>): Promise<T> {
  await harness.post('/_sim/control', { roles });
  try {
    return await run(await harness.token());
  } finally {
    await harness.post('/_sim/control', { roles: null });
  }
}

describe('creating response actions', () => {
  it('should answer 201 with a Pending MachineAction requested by the app, listed newest first', async (ctx) => {
    requireFixtures(ctx);
    const published = JSON.parse(readFixture('defender', 'machineaction-isolate.json')) as Record<
      string,
      unknown
    >;
    const machineId = await freshMachine();
    const action = created(
      await post(`/api/machines/${machineId}/isolate`, { Comment: 'ransomware', IsolationType: 'Selective' }),
    );
    for (const key of Object.keys(published)) expect(action).toHaveProperty(key);
    expect(action).toMatchObject({
      '@odata.context': `${sim.url}/api/$metadata#MachineActions/$entity`,
      type: 'Isolate',
      scope: 'Selective',
      status: 'Pending',
      requestor: sim.clientId,
      requestorComment: 'ransomware',
      requestSource: 'PublicApi',
      machineId,
      cancellationRequestor: null,
    });
    expect(action.id).toMatch(GUID);
    expect(action.creationDateTimeUtc).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{7}Z$/);
    expect(ms(action.creationDateTimeUtc)).toBeGreaterThanOrEqual(ms(sim.control.now()));
    expect(action.lastUpdateDateTimeUtc).toBe(action.creationDateTimeUtc);
    expect(await getAction(action.id)).toEqual(action);
    const list = await harness.json<ODataPage<Action>>('/api/machineactions', token);
    expect(list.value[0]?.id).toBe(action.id);
    const filtered = await harness.json<ODataPage<Action>>(
      `/api/machineactions?$filter=${encodeURIComponent(`machineId eq '${machineId}' and type eq 'Isolate'`)}`,
      token,
    );
    expect(filtered.value.map((a) => a.id)).toEqual([action.id]);
  });

  it('should record the scope each action documents', async () => {
    const machineId = await freshMachine();
    const scan = created(
      await post(`/api/machines/${machineId}/runAntiVirusScan`, { Comment: 'scan', ScanType: 'Full' }),
    );
    expect(scan).toMatchObject({ type: 'RunAntiVirusScan', scope: 'Full' });
    const collect = created(
      await post(`/api/machines/${machineId}/collectInvestigationPackage`, { Comment: 'c' }),
    );
    expect(collect).toMatchObject({ type: 'CollectInvestigationPackage', scope: null });
    const release = created(await post(`/api/v1.0/machines/${machineId}/unisolate`, { Comment: 'r' }));
    expect(release).toMatchObject({ type: 'Unisolate', scope: null });
    const isolate = created(await post(`/api/machines/${machineId}/isolate`, { Comment: 'default scope' }));
    expect(isolate.scope).toBe('Full');
    // Made a millisecond apart on a clock that stands still, so "newest first" is a total order.
    const list = await harness.json<ODataPage<Action>>('/api/machineactions?$top=4', token);
    expect(list.value.map((a) => a.id)).toEqual([isolate.id, release.id, collect.id, scan.id]);
  });

  it('should give the same action ids for the same seed and requests', async () => {
    const twin = await SimHarness.open({ machines: 400, seed: 61, findingsPerMachine: 1 });
    const other = await SimHarness.open({ machines: 400, seed: 61, findingsPerMachine: 1 });
    try {
      const machineId = await freshMachine();
      const ids = await Promise.all(
        [twin, other].map(async (h) => {
          const reply = await h.call(`/api/machines/${machineId}/runAntiVirusScan`, {
            method: 'POST',
            token: await h.token(),
            body: JSON.stringify({ Comment: 'same', ScanType: 'Quick' }),
          });
          return created(reply).id;
        }),
      );
      expect(ids[0]).toBe(ids[1]);
    } finally {
      await Promise.all([twin.close(), other.close()]);
    }
  });
});

describe('status over the simulated clock', () => {
  it('should go Pending -> InProgress after a minute -> Succeeded, each with its update time', async () => {
    const machineId = await freshMachine();
    const scan = created(
      await post(`/api/machines/${machineId}/runAntiVirusScan`, { Comment: 'quick', ScanType: 'Quick' }),
    );
    await advanceMinutes(0.5);
    expect((await getAction(scan.id)).status).toBe('Pending');
    await advanceMinutes(1);
    const running = await getAction(scan.id);
    expect(running.status).toBe('InProgress');
    expect(ms(running.lastUpdateDateTimeUtc) - ms(scan.creationDateTimeUtc)).toBe(60_000);
    expect(running.lastUpdateTimeUtc).toBe(running.lastUpdateDateTimeUtc);
    await advanceMinutes(10);
    const done = await getAction(scan.id);
    expect(done.status).toBe('Succeeded');
    expect(ms(done.lastUpdateDateTimeUtc) - ms(scan.creationDateTimeUtc)).toBe(10 * 60_000);
    expect(done.errorHResult).toBe(0);
  });

  it('should leave an action on an inactive device Pending until it times out after a day', async () => {
    const machineId = await freshMachine("healthStatus eq 'Inactive'");
    const isolate = created(await post(`/api/machines/${machineId}/isolate`, { Comment: 'offline' }));
    await advanceMinutes(60);
    expect((await getAction(isolate.id)).status).toBe('Pending');
    await harness.post('/_sim/advance', { hours: 24 });
    const final = await getAction(isolate.id);
    expect(final.status).toBe('TimeOut');
    expect(final.errorHResult).not.toBe(0);
    expect(ms(final.lastUpdateDateTimeUtc) - ms(isolate.creationDateTimeUtc)).toBe(24 * 3_600_000);
  });
});

describe('refusals', () => {
  it('should refuse a second action of the same kind while one is under way, and allow it after', async () => {
    const machineId = await freshMachine();
    const first = created(await post(`/api/machines/${machineId}/isolate`, { Comment: 'one' }));
    const again = await post(`/api/machines/${machineId}/isolate`, { Comment: 'two' });
    expectMdeError(again, 400, 'ActiveRequestAlreadyExists', 'Action is already in progress');
    // Quick and Full scans are one kind; a scan is another kind than isolation.
    created(await post(`/api/machines/${machineId}/runAntiVirusScan`, { Comment: 'q', ScanType: 'Quick' }));
    expectMdeError(
      await post(`/api/machines/${machineId}/runAntiVirusScan`, { Comment: 'f', ScanType: 'Full' }),
      400,
      'ActiveRequestAlreadyExists',
    );
    await advanceMinutes(2);
    expect((await getAction(first.id)).status).toBe('InProgress');
    expectMdeError(
      await post(`/api/machines/${machineId}/isolate`, { Comment: 'three' }),
      400,
      'ActiveRequestAlreadyExists',
    );
    await advanceMinutes(5);
    expect((await getAction(first.id)).status).toBe('Succeeded');
    created(await post(`/api/machines/${machineId}/isolate`, { Comment: 'after' }));
  });

  it('should answer the documented 400 for a body that misses or misspells a parameter', async () => {
    const machineId = await freshMachine();
    const cases: [string, unknown, RegExp][] = [
      ['isolate', {}, /'Comment'/],
      ['isolate', { comment: 'lower case' }, /'Comment'/],
      [
        'isolate',
        { Comment: 'x', IsolationType: 'full' },
        /'IsolationType' must be one of Full, Selective, UnManagedDevice/,
      ],
      ['runAntiVirusScan', { Comment: 'x' }, /'ScanType' must be one of Quick, Full/],
      ['runAntiVirusScan', { Comment: 'x', scanType: 'Quick' }, /'ScanType'/],
      ['runAntiVirusScan', { Comment: 'x', ScanType: 'Deep' }, /'ScanType'/],
      ['unisolate', '{"Comment": ', /not valid JSON/],
      ['collectInvestigationPackage', '["Comment"]', /JSON object/],
    ];
    for (const [action, body, message] of cases)
      expectMdeError(
        await post(`/api/machines/${machineId}/${action}`, body),
        400,
        'InvalidRequestBody',
        message,
      );
    const list = await harness.json<ODataPage<Action>>(
      `/api/machineactions?$filter=${encodeURIComponent(`machineId eq '${machineId}'`)}`,
      token,
    );
    expect(list.value).toEqual([]);
  });

  it('should answer 404 with the MDE body for an unknown machine or action', async () => {
    const unknown = '0000000000000000000000000000000000000000';
    expectMdeError(
      await post(`/api/machines/${unknown}/isolate`, { Comment: 'x' }),
      404,
      'ResourceNotFound',
      `Machine ${unknown} was not found`,
    );
    const action = '11111111-2222-4333-8444-555555555555';
    expectMdeError(
      await post(`/api/machineactions/${action}/cancel`, { Comment: 'x' }),
      404,
      'ResourceNotFound',
      `Machine action ${action} was not found`,
    );
  });

  it('should need Machine.Isolate, Machine.Scan and Machine.CollectForensics, each for its own action', async () => {
    const machineId = await freshMachine();
    const scan = created(
      await post(`/api/machines/${machineId}/runAntiVirusScan`, { Comment: 's', ScanType: 'Quick' }),
    );
    await withRoles(['Machine.Read.All', 'Machine.Scan'], async (restricted) => {
      for (const [action, role] of [
        ['isolate', 'Machine.Isolate'],
        ['unisolate', 'Machine.Isolate'],
        ['collectInvestigationPackage', 'Machine.CollectForensics'],
      ] as const) {
        expectMdeError(
          await post(`/api/machines/${machineId}/${action}`, { Comment: 'x' }, restricted),
          403,
          'Forbidden',
          `The application does not have any of the required application permissions (${role}) to access the resource.`,
        );
      }
      // The role it has is enough for its own action, even with the others missing.
      expectMdeError(
        await post(
          `/api/machines/${machineId}/runAntiVirusScan`,
          { Comment: 'x', ScanType: 'Quick' },
          restricted,
        ),
        400,
        'ActiveRequestAlreadyExists',
      );
    });
    await withRoles(['Machine.Read.All', 'Machine.Isolate'], async (restricted) => {
      // Cancelling needs the role of the action being cancelled.
      expectMdeError(
        await post(`/api/machineactions/${scan.id}/cancel`, { Comment: 'no' }, restricted),
        403,
        'Forbidden',
        'The application does not have any of the required application permissions (Machine.Scan) to access the resource.',
      );
    });
    expect((await getAction(scan.id)).status).toBe('Pending');
  });
});

describe('cancelling', () => {
  it('should cancel an action under way with 200, and refuse one that is final', async () => {
    const machineId = await freshMachine();
    const collect = created(
      await post(`/api/machines/${machineId}/collectInvestigationPackage`, { Comment: 'c' }),
    );
    expectMdeError(
      await post(`/api/machineactions/${collect.id}/cancel`, { comment: 'x' }),
      400,
      'InvalidRequestBody',
    );
    const cancelled = created(
      await post(`/api/machineactions/${collect.id}/cancel`, { Comment: 'wrong device' }),
      200,
    );
    expect(cancelled).toMatchObject({
      id: collect.id,
      status: 'Cancelled',
      cancellationRequestor: sim.clientId,
      cancellationComment: 'wrong device',
    });
    expect(cancelled.cancellationDateTimeUtc).toBe(cancelled.lastUpdateDateTimeUtc);
    await advanceMinutes(30);
    expect((await getAction(collect.id)).status).toBe('Cancelled');
    expectMdeError(
      await post(`/api/machineactions/${collect.id}/cancel`, { Comment: 'again' }),
      400,
      'BadRequest',
      /is Cancelled and can no longer be cancelled/,
    );
    // A cancelled action no longer blocks a new one of its kind.
    created(await post(`/api/machines/${machineId}/collectInvestigationPackage`, { Comment: 'retry' }));
  });
});

describe('actions from the portal and the truth', () => {
  it('should book a portal action that the API lists and that blocks the same kind', async () => {
    const machineId = await freshMachine();
    const portal = await harness.post<Action>('/_sim/machine-actions', {
      machineId,
      type: 'Isolate',
      scope: 'Selective',
      comment: 'from the portal',
    });
    expect(portal).toMatchObject({
      type: 'Isolate',
      scope: 'Selective',
      status: 'Pending',
      requestSource: 'Portal',
    });
    expect(String(portal.requestor)).toMatch(/^secops\.anna@/);
    expect((await getAction(portal.id)).requestorComment).toBe('from the portal');
    expectMdeError(
      await post(`/api/machines/${machineId}/isolate`, { Comment: 'hub' }),
      400,
      'ActiveRequestAlreadyExists',
    );
    const refused = await harness.call('/_sim/machine-actions', {
      method: 'POST',
      body: JSON.stringify({ machineId, type: 'Isolate' }),
    });
    expect(refused.status).toBe(400);
    expect(refused.text).toContain(portal.id);

    const truth = await harness.json<Action[]>('/_sim/truth/machine-actions');
    expect(truth[0]).toMatchObject({ id: portal.id, status: 'Pending', machineId });
    const cancelled = await harness.post<Action>(`/_sim/machine-actions/${portal.id}/cancel`, {});
    expect(cancelled).toMatchObject({
      status: 'Cancelled',
      cancellationComment: 'Cancelled in the Defender portal',
    });
    expect((await getAction(portal.id)).status).toBe('Cancelled');
    const after = await harness.json<Action[]>('/_sim/truth/machine-actions');
    expect(after.find((a) => a.id === portal.id)?.status).toBe('Cancelled');
    // The truth lists every action the API does, in the same order.
    const api = await harness.json<ODataPage<Action>>('/api/machineactions', token);
    expect(after.map((a) => [a.id, a.status])).toEqual(api.value.map((a) => [a.id, a.status]));
  });
});

describe('rate limits', () => {
  it('should count response actions in the 100-per-minute class of the other MDE calls', async () => {
    const limited = await SimHarness.open({ machines: 50, seed: 62, rateLimits: true });
    try {
      const bearer = await limited.token();
      const page = await limited.json<ODataPage>('/api/machines?$top=1', bearer);
      const machineId = String(page.value[0]?.id);
      const scan = (): Promise<Reply> =>
        limited.call(`/api/machines/${machineId}/runAntiVirusScan`, {
          method: 'POST',
          token: bearer,
          body: JSON.stringify({ Comment: 'flood', ScanType: 'Quick' }),
        });
      const statuses: number[] = [];
      for (let i = 0; i < 99; i++) statuses.push((await scan()).status);
      expect(statuses[0]).toBe(201);
      expect(new Set(statuses.slice(1))).toEqual(new Set([400]));
      const throttled = await limited.call('/api/machines?$top=1', { token: bearer });
      expect(throttled.status).toBe(429);
      expect(Number(throttled.headers['retry-after'])).toBeGreaterThan(0);
      expect((await scan()).status).toBe(429);
    } finally {
      await limited.close();
    }
  });
});
