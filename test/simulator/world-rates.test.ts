import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { LIVE_STEP_TICKS } from '../../src/simulator/clock.js';
import { findingChanges, findingSlots } from '../../src/simulator/world/findings.js';
import {
  INACTIVE_AFTER_TICKS,
  machineRecord,
  machineReport,
  quietSpellAt,
  quietSpellsBetween,
  type MachineCore,
  type QuietSpell,
} from '../../src/simulator/world/machines.js';
import { Arrivals, FROZEN_RATES, LIVE_RATES, LIVE_STEPS_PER_DAY } from '../../src/simulator/world/rates.js';
import { SimTenant } from '../../src/simulator/world/tenant.js';
import { TICKS_PER_DAY, TICKS_PER_HOUR, TICKS_PER_MS } from '../../src/simulator/time.js';

/** The demo's speed: a 30-minute step is a real minute. */
const SPEED = 30;
const STEP_MS = 60_000;

function liveTenant(seed: number, machines: number, findingsPerMachine = 4) {
  let wallMs = 0;
  const tenant = new SimTenant({
    seed,
    machines,
    findingsPerMachine,
    clock: { mode: 'live', speed: SPEED, wall: () => wallMs },
  });
  return {
    tenant,
    /** Moves the wall clock by whole steps and returns the epoch. */
    step: (steps = 1): number => {
      wallMs += steps * STEP_MS;
      return tenant.epoch;
    },
    /** Moves the wall clock so that the simulated now is at least `ticks`. */
    until: (ticks: number): number => {
      wallMs = Math.max(wallMs, Math.ceil((ticks - tenant.clock.epochStart(0)) / (SPEED * TICKS_PER_MS)));
      return tenant.epoch;
    },
  };
}

const departedShare = (tenant: SimTenant, initial: number, epoch: number): number => {
  const alive = tenant.population.alive(epoch);
  return (initial - alive.filter((index) => index < initial).length) / initial;
};

describe('world rates', () => {
  it('should keep the per-advance rates of a frozen tenant exactly', () => {
    expect(FROZEN_RATES).toEqual({
      machineLeave: 0.03,
      machineArrival: { share: 0.03, atLeast: 1, whole: true },
      alertArrival: { share: 0.05, atLeast: 1, whole: true },
      alertUpdate: 0.12,
      findingFix: 0.04,
      findingNew: 0.04,
      findingReopen: 0.5,
      reportEvery: null,
      quiet: null,
    });
    expect(new SimTenant({ seed: 1, machines: 10, findingsPerMachine: 1 }).rates).toBe(FROZEN_RATES);
  });

  it('should leave a frozen tenant as it always was, record for record', () => {
    // The digest of this tenant's records, taken before the rates moved into world/rates.ts.
    const tenant = new SimTenant({ seed: 42, machines: 120, findingsPerMachine: 3 });
    const digests: string[] = [];
    for (const hours of [24, 0.5, 48, 0]) {
      const epoch = tenant.epoch;
      const hash = createHash('sha256');
      for (const index of tenant.population.alive(epoch)) {
        const core = tenant.machine(index);
        hash.update(JSON.stringify(machineRecord(tenant, core, epoch)));
        hash.update(JSON.stringify(findingSlots(tenant, core, epoch)));
        hash.update(JSON.stringify(findingChanges(tenant, core, epoch)));
      }
      for (const alert of tenant.alerts.states(epoch))
        hash.update(JSON.stringify({ ...alert, machine: alert.machine.id, template: alert.template.title }));
      digests.push(hash.digest('hex').slice(0, 16));
      if (hours > 0) tenant.clock.advance(hours);
    }
    expect(digests).toEqual(['93e69ac88f9a6d99', 'e04abd50636675df', '15612f2d0d22d974', '485feccab699b356']);
  });

  it('should count fractional arrivals exactly, and whole ones as a block per epoch', () => {
    const whole = new Arrivals(15);
    expect([0, 1, 2, 10].map((e) => whole.through(e))).toEqual([0, 15, 30, 150]);
    expect([0, 14, 15, 29, 30].map((n) => whole.epochOf(n))).toEqual([1, 1, 2, 2, 3]);
    const fraction = new Arrivals(0.3125);
    expect(Array.from({ length: 9 }, (_, e) => fraction.through(e))).toEqual([0, 0, 0, 0, 1, 1, 1, 2, 2]);
    for (let n = 0; n < 200; n++) {
      const epoch = fraction.epochOf(n);
      expect(fraction.through(epoch - 1)).toBeLessThanOrEqual(n);
      expect(fraction.through(epoch)).toBeGreaterThan(n);
    }
    expect(new Arrivals(0).through(1000)).toBe(0);
  });
});

describe('a live tenant over simulated days', () => {
  it('should turn the fleet over about 3 % a simulated day, as one frozen advance does', () => {
    const machines = 1000;
    const live = liveTenant(5, machines);
    expect(live.tenant.rates).toBe(LIVE_RATES);
    expect(LIVE_STEPS_PER_DAY).toBe(48);
    // The old per-step rates had half the starting fleet gone after 23 steps.
    expect(departedShare(live.tenant, machines, live.step(23))).toBeLessThan(0.02);
    const day = live.step(48 - 23);
    expect(day).toBe(48);
    const gone = departedShare(live.tenant, machines, day);
    expect(gone).toBeGreaterThan(0.015);
    expect(gone).toBeLessThan(0.045);
    // 30 new machines a day for 1000: 0.625 a step, one or none each step.
    expect(live.tenant.population.indexCount(day) - machines).toBe(30);
    for (let e = 1; e <= day; e++) {
      const arrived = live.tenant.population.indexCount(e) - live.tenant.population.indexCount(e - 1);
      expect(arrived).toBeLessThanOrEqual(1);
    }
    const twoDays = departedShare(live.tenant, machines, live.step(48));
    expect(twoDays).toBeGreaterThan(0.035);
    expect(twoDays).toBeLessThan(0.085);

    const frozen = new SimTenant({ seed: 5, machines, findingsPerMachine: 4 });
    const advanced = frozen.clock.advance(24);
    expect(frozen.population.indexCount(advanced) - machines).toBe(30);
    const frozenGone = departedShare(frozen, machines, advanced);
    expect(frozenGone).toBeGreaterThan(0.015);
    expect(frozenGone).toBeLessThan(0.045);
  });

  it('should bring a new alert every step, and move some open ones on most steps', () => {
    const live = liveTenant(6, 500);
    const { alerts } = live.tenant;
    let before = alerts.states(0).map((alert) => alert.status);
    let stepsWithUpdates = 0;
    for (let step = 1; step <= LIVE_STEPS_PER_DAY; step++) {
      const epoch = live.step();
      const states = alerts.states(epoch);
      expect(states.length - before.length).toBeGreaterThanOrEqual(1);
      expect(states.length - before.length).toBeLessThanOrEqual(2);
      if (before.some((status, index) => states[index]?.status !== status)) stepsWithUpdates++;
      before = states.map((alert) => alert.status);
    }
    expect(stepsWithUpdates).toBeGreaterThan(LIVE_STEPS_PER_DAY / 2);
    // A large tenant gets its frozen advance's 5 % a day, spread over the steps.
    const large = liveTenant(6, 20_000);
    const perDay = large.tenant.alerts.count(LIVE_STEPS_PER_DAY) - large.tenant.alerts.count(0);
    expect(perDay).toBe(Math.floor(6000 * 0.05));
  });

  it('should fix and find about as many findings in a simulated day as one frozen advance does', () => {
    const machines = 400;
    const live = liveTenant(8, machines, 6);
    const frozen = new SimTenant({ seed: 8, machines, findingsPerMachine: 6 });
    const count = (tenant: SimTenant, epoch: number) => {
      const counts = { New: 0, Fixed: 0 };
      for (const index of tenant.population.alive(epoch))
        for (const change of findingChanges(tenant, tenant.machine(index), epoch)) counts[change.status]++;
      return counts;
    };
    const perDay = { New: 0, Fixed: 0 };
    let stepsWithChanges = 0;
    for (let step = 1; step <= LIVE_STEPS_PER_DAY; step++) {
      const counts = count(live.tenant, live.step());
      perDay.New += counts.New;
      perDay.Fixed += counts.Fixed;
      if (counts.New + counts.Fixed > 0) stepsWithChanges++;
    }
    const advance = count(frozen, frozen.clock.advance(24));
    expect(advance.Fixed).toBeGreaterThan(50);
    expect(perDay.Fixed / advance.Fixed).toBeGreaterThan(0.7);
    expect(perDay.Fixed / advance.Fixed).toBeLessThan(1.4);
    expect(perDay.New / advance.New).toBeGreaterThan(0.7);
    expect(perDay.New / advance.New).toBeLessThan(1.4);
    expect(stepsWithChanges).toBeGreaterThan(LIVE_STEPS_PER_DAY * 0.75);
  });
});

/**
 * A machine of the initial fleet whose one quiet spell since the clock's start lies between `from` and `to` and
 * lasts longer than `longer` (and shorter than `shorter`).
 */
function machineWithSpell(
  tenant: SimTenant,
  from: number,
  to: number,
  longer: number,
  shorter = Number.POSITIVE_INFINITY,
): { core: MachineCore; spell: QuietSpell } {
  const start = tenant.clock.epochStart(0);
  // Still there two days after `to`, the live clock's steps being 30 minutes.
  const lastEpoch = Math.ceil((to - start) / LIVE_STEP_TICKS) + 2 * LIVE_STEPS_PER_DAY;
  for (const index of tenant.population.alive(0)) {
    if (tenant.population.leftEpoch(index) <= lastEpoch) continue;
    const core = tenant.machine(index);
    const spells = quietSpellsBetween(tenant, core, start, to);
    const spell = spells[0];
    if (
      spells.length === 1 &&
      spell !== undefined &&
      spell.start > from &&
      spell.end < to &&
      spell.end - spell.start > longer &&
      spell.end - spell.start < shorter
    )
      return { core, spell };
  }
  throw new Error('no machine with such a spell');
}

/** A report is due every 24 hours, up to 3 hours late. */
const REPORT_GAP = TICKS_PER_DAY + 3 * TICKS_PER_HOUR;

describe('machines that go quiet and come back', () => {
  it('should have no quiet spells on a frozen clock', () => {
    const tenant = new SimTenant({ seed: 9, machines: 300, findingsPerMachine: 1 });
    const start = tenant.clock.epochStart(0);
    for (const index of tenant.population.alive(0)) {
      const core = tenant.machine(index);
      expect(
        quietSpellsBetween(tenant, core, start - 60 * TICKS_PER_DAY, start + 60 * TICKS_PER_DAY),
      ).toEqual([]);
    }
  });

  it('should stall lastSeen through a spell, turn Inactive after 7 silent days, and resume on return', () => {
    const live = liveTenant(11, 300);
    const { tenant } = live;
    const start = tenant.clock.epochStart(0);
    const { core, spell } = machineWithSpell(
      tenant,
      start + TICKS_PER_DAY,
      start + 25 * TICKS_PER_DAY,
      9 * TICKS_PER_DAY,
    );
    const last = live.until(spell.end + 2 * TICKS_PER_DAY);
    let previous = Number.NEGATIVE_INFINITY;
    let stalledAt: number | undefined;
    const seen = new Set<string>();
    for (let epoch = 0; epoch <= last; epoch++) {
      if (!tenant.population.isAlive(core.index, epoch)) break;
      const at = tenant.clock.epochStart(epoch);
      const report = machineReport(tenant, core, epoch);
      expect(report.lastSeen).toBeGreaterThanOrEqual(previous);
      expect(report.lastSeen).toBeLessThanOrEqual(at);
      previous = report.lastSeen;
      const quiet = at >= spell.start && at < spell.end;
      expect(quietSpellAt(tenant, core, at) !== undefined, String(epoch)).toBe(quiet);
      if (quiet) {
        stalledAt ??= report.lastSeen;
        // Stands still at the last report before the spell (a report is due at least daily).
        expect(report.lastSeen).toBe(stalledAt);
        expect(report.lastSeen).toBeLessThanOrEqual(spell.start);
        expect(spell.start - report.lastSeen).toBeLessThan(REPORT_GAP);
        expect(report.healthStatus).toBe(
          at - report.lastSeen > INACTIVE_AFTER_TICKS ? 'Inactive' : core.healthStatus,
        );
      } else {
        expect(report.healthStatus).toBe(core.healthStatus);
        if (at >= spell.end) expect(report.lastSeen).toBeGreaterThanOrEqual(spell.end);
        else expect(at - report.lastSeen).toBeLessThan(REPORT_GAP);
      }
      seen.add(`${quiet ? 'quiet' : at >= spell.end ? 'back' : 'before'}:${report.healthStatus}`);
      expect(machineRecord(tenant, core, epoch)).toMatchObject({ healthStatus: report.healthStatus });
    }
    expect(core.healthStatus).not.toBe('Inactive');
    expect(seen).toEqual(
      new Set([
        `before:${core.healthStatus}`,
        `quiet:${core.healthStatus}`,
        'quiet:Inactive',
        `back:${core.healthStatus}`,
      ]),
    );
  });

  it('should find and fix nothing on a quiet machine, and report what it fixed meanwhile once back', () => {
    const live = liveTenant(12, 300, 30);
    const { tenant } = live;
    const start = tenant.clock.epochStart(0);
    const last = live.until(start + 12 * TICKS_PER_DAY);
    let checked = 0;
    let fixedOnReturn = 0;
    for (const index of tenant.population.alive(0)) {
      if (checked === 8) break;
      const core = tenant.machine(index);
      if (tenant.population.leftEpoch(index) <= last) continue;
      const spells = quietSpellsBetween(tenant, core, start + 1, tenant.clock.epochStart(last));
      if (spells.length === 0) continue;
      for (let epoch = 1; epoch <= last; epoch++) {
        const changes = findingChanges(tenant, core, epoch);
        const at = tenant.clock.epochStart(epoch);
        if (quietSpellAt(tenant, core, at) !== undefined) expect(changes).toEqual([]);
        const back = spells.find((s) => s.end <= at && s.end > tenant.clock.epochStart(epoch - 1));
        if (back !== undefined && changes.some((change) => change.status === 'Fixed')) fixedOnReturn++;
      }
      checked++;
    }
    expect(checked).toBeGreaterThan(3);
    // Fixes fall due about 0.1 % a step, so a machine back after days has a backlog to report at once.
    expect(fixedOnReturn).toBeGreaterThan(0);
  });

  it('should raise no alert on a quiet machine', () => {
    const live = liveTenant(13, 300);
    const { tenant } = live;
    const epoch = live.step(4 * LIVE_STEPS_PER_DAY);
    const alerts = tenant.alerts.states(epoch);
    expect(alerts.length).toBeGreaterThan(90 + 4 * LIVE_STEPS_PER_DAY - 1);
    for (const alert of alerts) expect(quietSpellAt(tenant, alert.machine, alert.created)).toBeUndefined();
  });

  it('should hold a response action on a quiet machine until it is back, or time out after a day', () => {
    const live = liveTenant(14, 300);
    const { tenant } = live;
    const start = tenant.clock.epochStart(0);
    const request = {
      type: 'Isolate',
      scope: 'Full',
      comment: 'quiet',
      requestor: 'test',
      requestSource: 'PublicApi',
    } as const;
    const soon = machineWithSpell(
      tenant,
      start + TICKS_PER_DAY,
      start + 20 * TICKS_PER_DAY,
      13 * TICKS_PER_HOUR,
      6 * TICKS_PER_DAY,
    );
    const long = machineWithSpell(
      tenant,
      soon.spell.end + TICKS_PER_HOUR,
      soon.spell.end + 30 * TICKS_PER_DAY,
      3 * TICKS_PER_DAY,
    );
    // Asked twelve hours before the machine comes back: picked up a minute after, done three minutes after.
    live.until(soon.spell.end - 12 * TICKS_PER_HOUR);
    const held = tenant.machineActions.create(soon.core, request);
    if (!held.ok) throw new Error('refused');
    expect(held.action.status).toBe('Pending');
    live.until(soon.spell.end);
    expect(tenant.machineActions.byId(held.action.id)?.status).toBe('Pending');
    live.until(soon.spell.end + 3 * 60 * 10_000_000);
    expect(tenant.machineActions.byId(held.action.id)).toMatchObject({
      status: 'Succeeded',
      lastUpdate: soon.spell.end + 3 * 60 * 10_000_000,
    });
    // Asked with days of silence still ahead: TimeOut a day later.
    live.until(long.spell.start + TICKS_PER_HOUR);
    const created = tenant.machineActions.create(long.core, request);
    if (!created.ok) throw new Error('refused');
    live.until(created.action.created + TICKS_PER_DAY);
    expect(tenant.machineActions.byId(created.action.id)).toMatchObject({
      status: 'TimeOut',
      lastUpdate: created.action.created + TICKS_PER_DAY,
    });
  });
});
