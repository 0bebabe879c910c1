import { writeFile } from 'node:fs/promises';
import { isIP, type AddressInfo } from 'node:net';
import { InputError } from '../errors.js';
import { TokenIssuer } from './auth/access-token.js';
import { CertificateRegistry } from './auth/certificate-registry.js';
import { ALL_ROLES } from './auth/roles.js';
import { generateCertificates } from './certificates.js';
import { FROZEN, MAX_SPEED, type ClockMode, type ClockSettings, type WallClock } from './clock.js';
import { createControl, instant, type SimulatorControl } from './control.js';
import { FaultInjector, parseFaultSpec } from './http/faults.js';
import { RateLimiter } from './http/rate-limiter.js';
import { buildRoutes } from './http/routes.js';
import { SasSigner } from './http/sas.js';
import { closeServer, createSimulatorServer } from './http/server.js';
import { StatsRecorder } from './http/stats.js';
import type { SimState } from './state.js';
import { PreparedExportFiles } from './http/prepared-exports.js';
import { TICKS_PER_DAY } from './time.js';
import { SimTenant } from './world/tenant.js';
import { ArmWorld } from './world/arm.js';
import { TruthLedger } from './world/truth.js';

export { parseFaultSpec } from './http/faults.js';
export type { FaultKind, FaultSpec, QueuedFault } from './http/faults.js';
export type { SimulatorStats } from './http/stats.js';
export type { TruthSummary } from './world/truth.js';
export type { ClockMode, WallClock } from './clock.js';
export type {
  AdvanceResult,
  ClockStatus,
  FaultState,
  SettingsChange,
  SimulatorControl,
  SimulatorSettings,
  TruthAlert,
  TruthIncident,
  TruthMachine,
  TruthMachineAction,
  PortalActionRequest,
} from './control.js';

export interface SimulatorOptions {
  /** 0 (default) = ephemeral. */
  port?: number;
  /**
   * The address to listen on, default 127.0.0.1 (loopback only). `0.0.0.0` serves other containers; the
   * `/_sim/*` control and truth routes still answer loopback peers only.
   */
  host?: string;
  /**
   * The host name (or IP) clients reach the simulator by, default 127.0.0.1: the host of its URLs (the ready
   * line's, `@odata.nextLink`s, export blobs) and a name of its TLS certificate besides localhost and 127.0.0.1.
   */
  publicHost?: string;
  /** Default 500. */
  machines?: number;
  /** Default 1. */
  seed?: number;
  /** Average findings per machine, default 50 (100,000 machines ≈ 5,000,000 findings). */
  findingsPerMachine?: number;
  /**
   * How much changes a step, as a factor of the usual rates (machines leaving and arriving, alerts, findings fixed
   * and found), above 0 and at most 10; default 1. 0.125 makes a frozen advance change about 1 % of the findings.
   */
  churn?: number;
  /** e.g. `"429:0.05,500:0.02,503:0.01,reset:0.01,slow:0.01,malformed:0.001,empty-file:0.1"`. */
  faults?: string;
  /** Write the CA certificate PEM to this file. */
  caOut?: string;
  /** Enforce the documented per-minute/per-hour limits (default true). */
  rateLimits?: boolean;
  /** Retry-After sent with injected 429s and 503s (default 1). */
  retryAfterSeconds?: number;
  /** Delay added by the `slow` fault (default 2000). */
  slowMs?: number;
  /** Machines per via-files export file (default 25,000). */
  exportFileMachines?: number;
  /** ISO time; default one year after the simulated "now". */
  secretExpiresAt?: string;
  /** Granted app roles (default: all known roles). */
  roles?: string[];
  /** Azure subscriptions with Defender for Cloud (default 3); the last of two or more is unreadable (403). */
  subscriptions?: number;
  /**
   * `frozen` (default: tests and benchmarks need runs that repeat exactly): the clock moves only on
   * `/_sim/advance`. `live`: it also follows real time, `speed` times as fast (the CLI's default).
   */
  clock?: ClockMode;
  /** Simulated seconds per real second of a live clock, above 0 and at most 86,400 (default 1). */
  speed?: number;
  /** The millisecond source a live clock follows (default `performance.now`); tests inject one to drive it. */
  wallClock?: WallClock;
}

export interface RunningSimulator {
  /** `https://127.0.0.1:PORT` (the `publicHost` when one is given) */
  readonly url: string;
  /** = url (the client appends /api/...). */
  readonly apiBaseUrl: string;
  /** = url (token endpoint at /{tenant}/oauth2/v2.0/token). */
  readonly authorityHost: string;
  /** = url (the client appends /v1.0/security/...). */
  readonly graphBaseUrl: string;
  /** = url (Azure Resource Manager: the client appends /subscriptions/...). */
  readonly armBaseUrl: string;
  readonly tenantId: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** The secret's *ID* (a GUID), which users paste by mistake. */
  readonly clientSecretId: string;
  readonly caPem: string;
  readonly caFile: string | undefined;
  /** In-process twin of the /_sim/* control routes. */
  readonly control: SimulatorControl;
  close(): Promise<void>;
}

function wholeNumber(
  name: string,
  value: number | undefined,
  fallback: number,
  min: number,
  max: number,
): number {
  const result = value ?? fallback;
  if (!Number.isInteger(result) || result < min || result > max) {
    throw new InputError(
      `Simulator option ${name} must be a whole number from ${min} to ${max}, got ${String(value)}`,
    );
  }
  return result;
}

/** A DNS name or an IP address; the URL form brackets IPv6. */
function hostOption(name: string, value: string | undefined, fallback: string): string {
  const result = value ?? fallback;
  const dnsName = /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i;
  if (isIP(result) === 0 && !dnsName.test(result)) {
    throw new InputError(`Simulator option ${name} must be a host name or an IP address, got ${result}`);
  }
  return result;
}

/** The clock the options ask for; a speed without a live clock is refused rather than silently ignored. */
function clockSettings(options: SimulatorOptions): ClockSettings {
  const mode: string = options.clock ?? 'frozen';
  if (mode === 'frozen') {
    if (options.speed !== undefined)
      throw new InputError(
        'Simulator option speed applies to a live clock only: pass clock live, or no speed',
      );
    return FROZEN;
  }
  if (mode !== 'live') throw new InputError(`Simulator option clock must be live or frozen, got ${mode}`);
  const speed = options.speed ?? 1;
  if (!(speed > 0 && speed <= MAX_SPEED)) {
    throw new InputError(
      `Simulator option speed must be a number of simulated seconds per real second above 0 and at most ${MAX_SPEED}, got ${String(options.speed)}`,
    );
  }
  return { mode: 'live', speed, wall: options.wallClock ?? (() => performance.now()) };
}

/**
 * Starts the built-in Defender simulator: one HTTPS server (on 127.0.0.1 unless `host` says otherwise) with its
 * own CA, serving the Entra token endpoint, the Defender for Endpoint API, Graph security and export blobs for a
 * seeded, deterministic tenant. Start-up does not depend on the tenant's size: records are computed when they are
 * asked for.
 */
export async function startSimulator(options: SimulatorOptions = {}): Promise<RunningSimulator> {
  const port = wholeNumber('port', options.port, 0, 0, 65_535);
  const host = hostOption('host', options.host, '127.0.0.1');
  const publicHost = hostOption('publicHost', options.publicHost, '127.0.0.1');
  const machines = wholeNumber('machines', options.machines, 500, 0, 10_000_000);
  const seed = wholeNumber('seed', options.seed, 1, 0, 2 ** 31 - 1);
  const findingsPerMachine = wholeNumber('findingsPerMachine', options.findingsPerMachine, 50, 0, 10_000);
  const retryAfterSeconds = wholeNumber('retryAfterSeconds', options.retryAfterSeconds, 1, 0, 3600);
  const slowMs = wholeNumber('slowMs', options.slowMs, 2000, 0, 600_000);
  const exportFileMachines = wholeNumber(
    'exportFileMachines',
    options.exportFileMachines,
    25_000,
    1,
    10_000_000,
  );
  const subscriptions = wholeNumber('subscriptions', options.subscriptions, 3, 0, 100);
  const faultSpec = parseFaultSpec(options.faults ?? '');
  const unknownRoles = (options.roles ?? []).filter((role) => !ALL_ROLES.includes(role));
  if (unknownRoles.length > 0) throw new InputError(`Unknown app role(s): ${unknownRoles.join(', ')}`);
  const clock = clockSettings(options);

  const churn = options.churn ?? 1;
  if (!(churn > 0 && churn <= 10))
    throw new InputError(
      `Simulator option churn must be above 0 and at most 10, got ${String(options.churn)}`,
    );
  const tenant = new SimTenant({ seed, machines, findingsPerMachine, clock, churn });
  const defaultSecretExpiry = tenant.clock.now + 365 * TICKS_PER_DAY;
  const [certificates, tokens] = await Promise.all([
    generateCertificates(undefined, [publicHost]),
    TokenIssuer.create(),
  ]);
  let baseUrl = '';
  const state: SimState = {
    tenant,
    truth: new TruthLedger(tenant),
    arm: new ArmWorld(seed, tenant.identity, tenant.catalog, tenant.clock.now, subscriptions),
    settings: {
      roles: options.roles ?? ALL_ROLES,
      secretExpiresAt:
        options.secretExpiresAt === undefined
          ? defaultSecretExpiry
          : instant(options.secretExpiresAt, 'secretExpiresAt'),
      rateLimits: options.rateLimits ?? true,
    },
    faults: new FaultInjector(seed, faultSpec),
    stats: new StatsRecorder(),
    rateLimiter: new RateLimiter(),
    tokens,
    certificates: new CertificateRegistry(),
    sas: new SasSigner(),
    retryAfterSeconds,
    slowMs,
    exportFileMachines,
    preparedExports: new PreparedExportFiles(),
    baseUrl: () => baseUrl,
  };
  const control = createControl(state, defaultSecretExpiry);
  const server = createSimulatorServer(state, buildRoutes(control), certificates);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      resolve();
    });
  });
  const urlHost = isIP(publicHost) === 6 ? `[${publicHost}]` : publicHost;
  baseUrl = `https://${urlHost}:${(server.address() as AddressInfo).port}`;
  if (options.caOut !== undefined) await writeFile(options.caOut, certificates.caPem);
  // Counted in the background from the start (in slices that yield), so the first request that needs the
  // counts (the CVE catalog's exposedMachines) does not wait seconds for a large tenant; it is cached per epoch.
  void state.truth.data(tenant.epoch).catch(() => undefined);

  const { identity } = tenant;
  return {
    url: baseUrl,
    apiBaseUrl: baseUrl,
    authorityHost: baseUrl,
    graphBaseUrl: baseUrl,
    armBaseUrl: baseUrl,
    tenantId: identity.tenantId,
    clientId: identity.clientId,
    clientSecret: identity.clientSecret,
    clientSecretId: identity.clientSecretId,
    caPem: certificates.caPem,
    caFile: options.caOut,
    control,
    close: async () => {
      await closeServer(server);
      await state.preparedExports.clear();
    },
  };
}
