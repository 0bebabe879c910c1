import { describe, expect, it } from 'vitest';
import { SimHarness } from './helpers.js';

describe('documented rate limits', () => {
  it('should answer the 6th files-export call in a minute 429 with an integer Retry-After', async () => {
    const harness = await SimHarness.open({ machines: 50, seed: 51, rateLimits: true });
    try {
      const token = await harness.token();
      for (let i = 0; i < 5; i++)
        expect((await harness.call('/api/machines/SoftwareVulnerabilitiesExport', { token })).status).toBe(
          200,
        );
      const limited = await harness.call('/api/machines/SoftwareVulnerabilitiesExport', { token });
      expect(limited.status).toBe(429);
      const retryAfter = Number(limited.headers['retry-after']);
      expect(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60).toBe(true);
      expect(JSON.parse(limited.text)).toMatchObject({
        error: {
          code: 'TooManyRequests',
          message: `Rate limit is exceeded. Try again in ${retryAfter} seconds.`,
        },
      });
      // Other API classes have their own budget.
      expect((await harness.call('/api/machines', { token })).status).toBe(200);
      const stats = await harness.json<{ rateLimited: Record<string, number> }>('/_sim/stats');
      expect(stats.rateLimited).toEqual({ exportFiles: 1 });
      // Switching limits off (and on) starts from a clean slate.
      await harness.post('/_sim/control', { rateLimits: false });
      expect((await harness.call('/api/machines/SoftwareVulnerabilitiesExport', { token })).status).toBe(200);
    } finally {
      await harness.close();
    }
  });

  it('should allow 100 machine-list calls a minute and refuse the 101st', async () => {
    const harness = await SimHarness.open({ machines: 5, seed: 52, rateLimits: true });
    try {
      const token = await harness.token();
      const statuses = await Promise.all(
        Array.from({ length: 101 }, () => harness.call('/api/machines', { token }).then((r) => r.status)),
      );
      expect(statuses.filter((s) => s === 200)).toHaveLength(100);
      expect(statuses.filter((s) => s === 429)).toHaveLength(1);
    } finally {
      await harness.close();
    }
  });

  it('should keep the per-minute budget in real time while the simulated clock runs days ahead', async () => {
    let wallMs = 0;
    const harness = await SimHarness.open({
      machines: 20,
      seed: 53,
      rateLimits: true,
      clock: 'live',
      speed: 3600,
      wallClock: () => wallMs,
    });
    const files = '/api/machines/SoftwareVulnerabilitiesExport';
    try {
      const token = await harness.token();
      for (let i = 0; i < 5; i++) expect((await harness.call(files, { token })).status).toBe(200);
      // A simulated day flows by on the live clock, and another is jumped over; no real second passes.
      wallMs += 24_000;
      await harness.post('/_sim/advance', { hours: 24 });
      const limited = await harness.call(files, { token });
      expect(limited.status).toBe(429);
      expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(50);
    } finally {
      await harness.close();
    }
  });
});
