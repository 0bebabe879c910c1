import { describe, expect, it } from 'vitest';
import { LIVE_STEP_TICKS, SimClock } from '../../src/simulator/clock.js';
import { TICKS_PER_HOUR, TICKS_PER_MS, TICKS_PER_SECOND } from '../../src/simulator/time.js';
import { InputError } from '../../src/errors.js';
import { startSimulator } from '../../src/simulator/index.js';

const MINUTE = 60 * TICKS_PER_SECOND;

/** A wall clock a test moves by hand. */
function handWall(): { read: () => number; move: (ms: number) => void } {
  let ms = 1_000_000;
  return { read: () => ms, move: (by) => (ms += by) };
}

function liveClock(speed: number, wall = handWall()): { clock: SimClock; move: (ms: number) => void } {
  return { clock: new SimClock(7, { mode: 'live', speed, wall: wall.read }), move: wall.move };
}

function starts(clock: SimClock): number[] {
  return Array.from({ length: clock.epoch + 1 }, (_, e) => clock.epochStart(e));
}

describe('a frozen clock', () => {
  it('should move only on advance, one epoch per advance', () => {
    const clock = new SimClock(7);
    const start = clock.now;
    expect([clock.mode, clock.speed, clock.epoch]).toEqual(['frozen', null, 0]);
    expect(clock.advance(0.5)).toBe(1);
    expect(clock.now - start).toBe(30 * MINUTE);
    expect(clock.advance(24)).toBe(2);
    expect(clock.now).toBe(clock.epochStart(2));
    expect(clock.now - clock.epochStart(1)).toBe(24 * TICKS_PER_HOUR);
  });
});

describe('a live clock', () => {
  it('should follow the wall clock from the seeded start, speed times as fast', () => {
    const { clock, move } = liveClock(30);
    const start = clock.now;
    expect(start).toBe(new SimClock(7).now);
    expect([clock.mode, clock.speed]).toEqual(['live', 30]);
    move(6000);
    // 6 real seconds at 30: three simulated minutes, an isolation's duration.
    expect(clock.now - start).toBe(3 * MINUTE);
    move(0.5);
    expect(clock.now - start).toBe(3 * MINUTE + 15 * TICKS_PER_MS);
    expect(clock.epoch).toBe(0);
  });

  it('should start an epoch every 30 simulated minutes, at exact multiples of the step', () => {
    const { clock, move } = liveClock(60);
    const start = clock.now;
    move(29_999);
    expect(clock.epoch).toBe(0);
    move(1);
    expect(clock.epoch).toBe(1);
    expect(clock.epochStart(1) - start).toBe(LIVE_STEP_TICKS);
    move(65_000);
    // 95 simulated minutes: epochs began at 30, 60 and 90; now is 5 minutes into the last.
    expect(clock.epoch).toBe(3);
    expect(starts(clock).map((s) => (s - start) / MINUTE)).toEqual([0, 30, 60, 90]);
    expect(clock.now - clock.epochStart(3)).toBe(5 * MINUTE);
  });

  it('should give the same epochs however often it is read', () => {
    const often = liveClock(120);
    const once = liveClock(120);
    const epochs: number[] = [];
    for (let i = 0; i < 200; i++) {
      often.move(1_337);
      once.move(1_337);
      epochs.push(often.clock.epoch);
    }
    expect(epochs).toEqual(epochs.toSorted((a, b) => a - b));
    expect(starts(once.clock)).toEqual(starts(often.clock));
    expect(once.clock.epoch).toBe(Math.floor((200 * 1_337 * 120) / 1000 / 1800));
  });

  it('should take a fractional speed', () => {
    const { clock, move } = liveClock(0.5);
    move(3_600_000);
    expect(clock.now - clock.epochStart(0)).toBe(30 * MINUTE);
    expect(clock.epoch).toBe(1);
  });

  it('should jump on advance, keep the steps passed before as epochs, and step on from the jump', () => {
    const { clock, move } = liveClock(60);
    const start = clock.now;
    move(65_000);
    expect(clock.advance(2)).toBe(3);
    // Epochs at 30 and 60 minutes, then one at 65 minutes + 2 hours, and the steps count from there.
    expect(starts(clock).map((s) => (s - start) / MINUTE)).toEqual([0, 30, 60, 185]);
    expect(clock.now).toBe(clock.epochStart(3));
    move(29_000);
    expect(clock.epoch).toBe(3);
    expect(clock.now - start).toBe(214 * MINUTE);
    move(1_000);
    expect(clock.epoch).toBe(4);
    expect(clock.epochStart(4) - start).toBe(215 * MINUTE);
  });

  it('should find the epoch of an instant by binary search over a long run', () => {
    const { clock, move } = liveClock(3600);
    move(3_600_000);
    clock.advance(5);
    move(7_200);
    const all = starts(clock);
    expect(all.length).toBeGreaterThan(7000);
    const linear = (ticks: number): number => {
      const found = all.findIndex((s) => s >= ticks);
      return found === -1 ? all.length : found;
    };
    const last = all[all.length - 1] ?? 0;
    const probes = [all[0]! - 1, all[0]!, all[1]! - 1, all[1]!, all[1]! + 1, last - 1, last, last + 1];
    for (let i = 0; i < 500; i++)
      probes.push(all[0]! + Math.floor(((last - all[0]!) * i) / 499) + (i % 3) - 1);
    for (const ticks of probes) expect(clock.firstEpochNotBefore(ticks), String(ticks)).toBe(linear(ticks));
  });
});

describe('clock options', () => {
  it.each([
    [{ clock: 'live' as const, speed: 0 }, /speed must be .* above 0 and at most 86400, got 0/],
    [{ clock: 'live' as const, speed: Number.NaN }, /speed must be/],
    [{ clock: 'live' as const, speed: 86_401 }, /at most 86400/],
    [{ speed: 2 }, /speed applies to a live clock only/],
    [{ clock: 'fast' as 'live' }, /clock must be live or frozen, got fast/],
  ])('should refuse %j with an input error', async (options, message) => {
    const refused = startSimulator({ machines: 1, ...options });
    await expect(refused).rejects.toThrow(InputError);
    await expect(refused).rejects.toThrow(message);
  });
});
