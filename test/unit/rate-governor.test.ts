import { describe, expect, it } from 'vitest';
import { DefenderApiError } from '../../src/defender/errors.js';
import { RateGovernor } from '../../src/defender/rate-governor.js';

/** A clock the test moves, and a sleep that cannot happen (acquire must resolve without waiting). */
function clock(start = 0): { now: () => number; advance: (ms: number) => void } {
  let t = start;
  return { now: () => t, advance: (ms) => (t += ms) };
}

async function resolvesNow(promise: Promise<void>): Promise<boolean> {
  const marker = Symbol('pending');
  const result = await Promise.race([
    promise.then(() => true),
    new Promise((r) =>
      setTimeout(() => {
        r(marker);
      }, 30),
    ),
  ]);
  return result === true;
}

describe('RateGovernor', () => {
  it('should let normal calls use only the unreserved share of a window', async () => {
    const c = clock();
    const governor = new RateGovernor({ now: c.now, reservedForActions: 0.2 });
    for (let i = 0; i < 80; i++) await governor.acquire('default');
    // 100/min with 20 % reserved: the 81st normal call must wait, an action may still go.
    expect(await resolvesNow(governor.acquire('default'))).toBe(false);
    expect(await resolvesNow(governor.acquire('default', { priority: 'action' }))).toBe(true);
    expect(governor.usage('default')[0]).toEqual({ used: 81, limit: 100 });
  });

  it('should keep no share free in classes response actions are not sent in', async () => {
    const c = clock();
    const governor = new RateGovernor({ now: c.now, reservedForActions: 0.2 });
    for (let i = 0; i < 5; i++) await governor.acquire('fileExport');
    expect(governor.usage('fileExport')[0]).toEqual({ used: 5, limit: 5 });
    expect(await resolvesNow(governor.acquire('fileExport'))).toBe(false);
  });

  it('should refuse at once, as throttled with the wait, a call that may not wait that long', async () => {
    const c = clock();
    const governor = new RateGovernor({ now: c.now, reservedForActions: 0, marginMs: 0 });
    for (let i = 0; i < 45; i++) await governor.acquire('hunting');
    const refused = await governor.acquire('hunting', { maxWaitMs: 1000 }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(DefenderApiError);
    expect(refused).toMatchObject({ code: 'DEFENDER_THROTTLED', status: 429, retryAfterMs: 60_000 });
    expect(governor.usage('hunting')[0]).toEqual({ used: 45, limit: 45 });
  });

  it('should count a sliding minute, not a refilling bucket', async () => {
    const c = clock();
    const governor = new RateGovernor({ now: c.now, reservedForActions: 0, marginMs: 0 });
    for (let i = 0; i < 30; i++) await governor.acquire('jsonExport');
    c.advance(59_000);
    expect(await resolvesNow(governor.acquire('jsonExport'))).toBe(false);
  });

  it('should free a slot once the oldest call leaves the window', async () => {
    const c = clock();
    const governor = new RateGovernor({ now: c.now, reservedForActions: 0, marginMs: 0 });
    for (let i = 0; i < 5; i++) await governor.acquire('fileExport');
    c.advance(60_001);
    expect(await resolvesNow(governor.acquire('fileExport'))).toBe(true);
  });

  it('should hold the hourly limit too', async () => {
    const c = clock();
    const governor = new RateGovernor({ now: c.now, reservedForActions: 0, marginMs: 0 });
    for (let i = 0; i < 20; i++) {
      await governor.acquire('fileExport');
      c.advance(61_000);
    }
    expect(governor.usage('fileExport')).toEqual([
      { used: 0, limit: 5 },
      { used: 20, limit: 20 },
    ]);
    expect(await resolvesNow(governor.acquire('fileExport'))).toBe(false);
  });

  it('should hold a class after the service answered 429', async () => {
    const c = clock();
    const governor = new RateGovernor({ now: c.now });
    governor.pause('default', 5000);
    expect(await resolvesNow(governor.acquire('default'))).toBe(false);
    expect(await resolvesNow(governor.acquire('graph'))).toBe(true);
  });
});
