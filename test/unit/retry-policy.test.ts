import { describe, expect, it } from 'vitest';
import { RetryPolicy, parseRetryAfter } from '../../src/defender/retry-policy.js';
import { DefenderApiError, DefenderError, DefenderErrorCode } from '../../src/defender/errors.js';

const throttled = (retryAfterMs?: number): DefenderApiError =>
  new DefenderApiError(DefenderErrorCode.Throttled, 'throttled', {
    status: 429,
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  });

describe('RetryPolicy.decide', () => {
  const policy = new RetryPolicy(
    { maxAttempts: 5, maxElapsedMs: 60_000, baseDelayMs: 1000, maxDelayMs: 8000 },
    () => 1,
  );

  it('should wait exactly what Retry-After says on 429 and 503', () => {
    expect(policy.decide(throttled(7000), 1, 0)).toEqual({ retry: true, delayMs: 7000 });
    const unavailable = new DefenderApiError(DefenderErrorCode.ServerError, 'x', {
      status: 503,
      retryAfterMs: 2000,
    });
    expect(policy.decide(unavailable, 1, 0)).toEqual({ retry: true, delayMs: 2000 });
  });

  it('should back off exponentially, capped, on 5xx and broken connections', () => {
    const serverError = new DefenderApiError(DefenderErrorCode.ServerError, 'x', { status: 500 });
    expect([1, 2, 3, 4].map((a) => policy.decide(serverError, a, 0))).toEqual([
      { retry: true, delayMs: 1000 },
      { retry: true, delayMs: 2000 },
      { retry: true, delayMs: 4000 },
      { retry: true, delayMs: 8000 },
    ]);
    const reset = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    expect(policy.decide(reset, 1, 0)).toEqual({ retry: true, delayMs: 1000 });
  });

  it('should keep at least half the step as jitter floor', () => {
    const low = new RetryPolicy({ baseDelayMs: 1000 }, () => 0);
    expect(low.decide(throttled(), 1, 0)).toEqual({ retry: true, delayMs: 500 });
  });

  it('should stop at the attempt cap and when the wait would pass the time cap', () => {
    expect(policy.decide(throttled(1000), 5, 0)).toEqual({ retry: false });
    expect(policy.decide(throttled(30_000), 1, 40_000)).toEqual({ retry: false });
  });

  it("should not retry the caller's mistakes or auth failures", () => {
    expect(
      policy.decide(new DefenderApiError(DefenderErrorCode.BadRequest, 'x', { status: 400 }), 1, 0),
    ).toEqual({ retry: false });
    expect(policy.decide(new DefenderError(DefenderErrorCode.WrongSecret, 'x'), 1, 0)).toEqual({
      retry: false,
    });
    expect(policy.decide(new DefenderError(DefenderErrorCode.TlsUntrusted, 'x'), 1, 0)).toEqual({
      retry: false,
    });
  });
});

describe('RetryPolicy.run', () => {
  it('should turn exhausted throttling into DEFENDER_THROTTLED with the attempts made', async () => {
    const policy = new RetryPolicy({ maxAttempts: 3, baseDelayMs: 1 });
    let calls = 0;
    const error = await policy
      .run(() => {
        calls++;
        return Promise.reject(throttled(1));
      })
      .catch((e: unknown) => e);
    expect(calls).toBe(3);
    expect(error).toMatchObject({ code: DefenderErrorCode.Throttled, details: { attempts: 3 } });
    expect((error as Error).message).toMatch(/after 3 attempts/);
  });

  it('should give up waiting at once when aborted', async () => {
    const policy = new RetryPolicy({ baseDelayMs: 60_000 });
    const controller = new AbortController();
    const started = Date.now();
    const run = policy.run(() => Promise.reject(throttled(60_000)), { signal: controller.signal });
    setTimeout(() => {
      controller.abort();
    }, 20);
    await expect(run).rejects.toMatchObject({ code: DefenderErrorCode.Aborted });
    expect(Date.now() - started).toBeLessThan(5000);
  });
});

describe('parseRetryAfter', () => {
  it('should read seconds, HTTP dates and the Azure millisecond headers', () => {
    expect(parseRetryAfter({ 'retry-after': '3' })).toBe(3000);
    expect(
      parseRetryAfter({ 'retry-after': 'Sun, 22 Nov 2026 10:00:05 GMT' }, Date.parse('2026-11-22T10:00:00Z')),
    ).toBe(5000);
    expect(
      parseRetryAfter({ 'retry-after': 'Sun, 22 Nov 2026 09:00:00 GMT' }, Date.parse('2026-11-22T10:00:00Z')),
    ).toBe(0);
    expect(parseRetryAfter({ 'retry-after-ms': '250', 'retry-after': '3' })).toBe(250);
    expect(parseRetryAfter({ 'x-ms-retry-after-ms': '90' })).toBe(90);
    expect(parseRetryAfter({})).toBeUndefined();
    expect(parseRetryAfter({ 'retry-after': 'soon' })).toBeUndefined();
  });
});
