import type { TokenIssuer } from './auth/access-token.js';
import type { CertificateRegistry } from './auth/certificate-registry.js';
import type { FaultInjector } from './http/faults.js';
import type { RateLimiter } from './http/rate-limiter.js';
import type { SasSigner } from './http/sas.js';
import type { StatsRecorder } from './http/stats.js';
import type { Ticks } from './time.js';
import type { ArmWorld } from './world/arm.js';
import type { SimTenant } from './world/tenant.js';
import type { TruthLedger } from './world/truth.js';
import type { PreparedExportFiles } from './http/prepared-exports.js';

/** Settings that can change while the simulator runs (`POST /_sim/control`). */
export interface MutableSettings {
  roles: readonly string[];
  secretExpiresAt: Ticks;
  rateLimits: boolean;
}

/** Everything a route handler may need. */
export interface SimState {
  readonly tenant: SimTenant;
  readonly truth: TruthLedger;
  /** Defender for Cloud's subscriptions and records (Azure Resource Manager). */
  readonly arm: ArmWorld;
  readonly settings: MutableSettings;
  readonly faults: FaultInjector;
  readonly stats: StatsRecorder;
  readonly rateLimiter: RateLimiter;
  readonly tokens: TokenIssuer;
  readonly certificates: CertificateRegistry;
  readonly sas: SasSigner;
  readonly retryAfterSeconds: number;
  readonly slowMs: number;
  readonly exportFileMachines: number;
  /** Export files written ahead of their download (`POST /_sim/exports/prepare`). */
  readonly preparedExports: PreparedExportFiles;
  /** `https://127.0.0.1:PORT`, known once the server listens. */
  readonly baseUrl: () => string;
}
