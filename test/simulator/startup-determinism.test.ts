import { describe, expect, it, onTestFinished } from 'vitest';
import { X509Certificate } from 'node:crypto';
import { InputError } from '../../src/errors.js';
import type { LookupFunction } from 'node:net';
import { isLoopbackAddress } from '../../src/simulator/http/server.js';
import { parseFaultSpec, startSimulator } from '../../src/simulator/index.js';
import { SimHarness, type ODataPage, type Summary } from './helpers.js';

describe('start-up', () => {
  it('should start a 100,000-machine tenant in well under two seconds', async () => {
    const started = performance.now();
    const sim = await startSimulator({ machines: 100_000, seed: 3 });
    const elapsed = performance.now() - started;
    await sim.close();
    expect(elapsed).toBeLessThan(2000);
  });

  it('should serve HTTPS on 127.0.0.1 with a sha256 leaf for localhost and 127.0.0.1, signed by its own CA', async () => {
    const harness = await SimHarness.open({ machines: 5 });
    onTestFinished(() => harness.close());
    expect(harness.sim.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect([harness.sim.apiBaseUrl, harness.sim.authorityHost, harness.sim.graphBaseUrl]).toEqual([
      harness.sim.url,
      harness.sim.url,
      harness.sim.url,
    ]);
    const ca = new X509Certificate(harness.sim.caPem);
    expect(ca.ca).toBe(true);
    // Trusting only the CA is enough for a verified TLS connection.
    expect((await harness.call('/_sim/truth/summary')).status).toBe(200);
  });

  it('should go by its public host name in its URLs and its certificate (the name other containers use)', async () => {
    // Every name is loopback here: the test reaches the simulator by that name without asking DNS.
    const lookup: LookupFunction = (_hostname, options, callback) => {
      if (options.all === true) callback(null, [{ address: '127.0.0.1', family: 4 }]);
      else callback(null, '127.0.0.1', 4);
    };
    const harness = await SimHarness.open(
      { machines: 5, host: '127.0.0.1', publicHost: 'simulator.test' },
      { lookup },
    );
    onTestFinished(() => harness.close());
    expect(harness.sim.url).toMatch(/^https:\/\/simulator\.test:\d+$/);
    expect(harness.sim.apiBaseUrl).toBe(harness.sim.url);
    // The TLS check is the real one, against the CA alone: the leaf names simulator.test.
    const page = await harness.json<ODataPage>('/api/machines', await harness.token());
    expect(page['@odata.context'].startsWith(`${harness.sim.url}/api/`)).toBe(true);
    expect((await harness.call('/_sim/truth/summary')).status).toBe(200);
  });

  it('should answer /_sim calls from loopback peers only', () => {
    for (const address of ['127.0.0.1', '127.1.2.3', '::1', '::ffff:127.0.0.1']) {
      expect(isLoopbackAddress(address), address).toBe(true);
    }
    for (const address of ['10.0.0.2', '172.18.0.3', '::ffff:172.18.0.3', 'fe80::1', '::', undefined]) {
      expect(isLoopbackAddress(address), String(address)).toBe(false);
    }
  });

  it('should refuse a host or public host that is not a host name or an IP address', async () => {
    await expect(startSimulator({ publicHost: 'https://simulator' })).rejects.toThrow(InputError);
    await expect(startSimulator({ host: 'two words' })).rejects.toThrow(InputError);
  });

  it('should derive credentials that look like Entra ones from the seed', async () => {
    const a = await startSimulator({ machines: 1, seed: 42 });
    const b = await startSimulator({ machines: 1, seed: 42 });
    try {
      const guid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
      expect(a.tenantId).toMatch(guid);
      expect(a.clientId).toMatch(guid);
      expect(a.clientSecretId).toMatch(guid);
      expect(a.clientSecret).toHaveLength(40);
      expect(a.clientSecret.slice(3, 6)).toBe('8Q~');
      expect([b.tenantId, b.clientId, b.clientSecret]).toEqual([a.tenantId, a.clientId, a.clientSecret]);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});

describe('determinism', () => {
  async function firstPage(seed: number): Promise<{ page: string; summary: Summary }> {
    const harness = await SimHarness.open({ machines: 300, seed, findingsPerMachine: 10 });
    try {
      const token = await harness.token();
      const page = (await harness.call('/api/machines?$top=50', { token })).text.replace(
        /https:\/\/127\.0\.0\.1:\d+/g,
        'HOST',
      );
      return { page, summary: await harness.json<Summary>('/_sim/truth/summary') };
    } finally {
      await harness.close();
    }
  }

  it('should serve the same tenant for the same seed and another one for another seed', async () => {
    const [one, again, other] = await Promise.all([firstPage(1), firstPage(1), firstPage(2)]);
    expect(again.page).toBe(one.page);
    expect(again.summary).toEqual(one.summary);
    expect(other.page).not.toBe(one.page);
    const machines = (JSON.parse(one.page) as ODataPage).value;
    expect(machines).toHaveLength(50);
    for (const machine of machines) {
      expect(machine.id).toMatch(/^[0-9a-f]{40}$/);
      expect(machine.firstSeen).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{7}Z$/);
    }
  });

  it('should make a realistic, mostly-Windows fleet with findings around the requested average', async () => {
    const harness = await SimHarness.open({ machines: 4000, seed: 5, findingsPerMachine: 20 });
    onTestFinished(() => harness.close());
    const summary = await harness.json<Summary>('/_sim/truth/summary');
    const windows = Object.entries(summary.byPlatform)
      .filter(([platform]) => platform.startsWith('Windows'))
      .reduce((n, [, count]) => n + count, 0);
    expect(windows / summary.machines).toBeGreaterThan(0.6);
    expect(summary.byPlatform.iOS).toBeGreaterThan(0);
    expect(summary.findings / summary.machines).toBeGreaterThan(15);
    expect(summary.findings / summary.machines).toBeLessThan(25);
    expect(summary.findingsWithoutCve).toBeGreaterThan(0);
    expect(summary.findingsWithoutCve / summary.findings).toBeLessThan(0.01);
    expect(summary.bySeverity.Medium).toBeGreaterThan(summary.bySeverity.Low ?? 0);
    expect(summary.alerts).toBe(1200);
    expect(summary.incidents).toBeGreaterThan(0);
  });
});

describe('parseFaultSpec', () => {
  it('should read probabilities per kind', () => {
    expect(parseFaultSpec('429:0.05, 500:0.02,reset:0.01,slow:0.01,malformed:0.001,empty-file:0.1')).toEqual({
      '429': 0.05,
      '500': 0.02,
      reset: 0.01,
      slow: 0.01,
      malformed: 0.001,
      'empty-file': 0.1,
    });
    expect(parseFaultSpec('')).toEqual({});
  });

  it.each([
    ['meteor:0.1', /Unknown fault kind 'meteor'/],
    ['429:1.5', /probability for '429' must be a number from 0 to 1, got '1.5'/],
    ['429:-0.1', /got '-0.1'/],
    ['429:abc', /got 'abc'/],
    ['429', /Malformed fault entry '429'/],
    ['429:0.1:2', /Malformed fault entry '429:0.1:2'/],
    ['429:0.1,429:0.2', /'429' is given twice/],
  ])('should refuse %j with a message naming the bad part', (spec, message) => {
    expect(() => parseFaultSpec(spec)).toThrow(InputError);
    expect(() => parseFaultSpec(spec)).toThrow(message);
  });

  it('should refuse a bad spec at start-up', async () => {
    await expect(startSimulator({ faults: '503:2' })).rejects.toThrow(InputError);
  });
});
