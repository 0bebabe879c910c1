import { InputError } from '../errors.js';
import { ALL_ROLES } from './auth/roles.js';
import type { ClockMode } from './clock.js';
import { formatFaultSpec, parseFaultSpec, type FaultSpec, type QueuedFault } from './http/faults.js';
import type { SimulatorStats } from './http/stats.js';
import type { SimState } from './state.js';
import type { PreparedExport } from './http/prepared-exports.js';
import { exportPartBodies } from './routes/export-file-bodies.js';
import { iso7, isoSecondsZ, parseIsoTicks } from './time.js';
import { graphEnum } from './world/alert-records.js';
import { exportRecord, findingLastSeen, openFindings } from './world/findings.js';
import { groupIncidents } from './world/incidents.js';
import { machineReport, quietSpellAt } from './world/machines.js';
import {
  type MachineAction,
  type MachineActionStatus,
  type RequestableActionType,
} from './world/machine-actions.js';
import type { TruthSummary } from './world/truth.js';

export interface SimulatorSettings {
  /** App roles granted to the app registration (tokens issued from now on carry the ones of their resource). */
  readonly roles: readonly string[];
  readonly secretExpiresAt: string;
  readonly rateLimits: boolean;
}

/** A settings change; `null` restores the default (all roles; a year after the simulated start). */
export interface SettingsChange {
  readonly roles?: readonly string[] | null | undefined;
  readonly secretExpiresAt?: string | null | undefined;
  readonly rateLimits?: boolean | undefined;
}

export interface FaultState {
  readonly spec: FaultSpec;
  readonly queue: readonly QueuedFault[];
}

export interface AdvanceResult {
  readonly epoch: number;
  readonly now: string;
}

/** `GET /_sim/clock`. */
export interface ClockStatus {
  readonly mode: ClockMode;
  /** Simulated seconds per real second; null when frozen. */
  readonly speed: number | null;
  readonly now: string;
  /** The epoch the tenant's records are of (a live clock starts one every 30 simulated minutes). */
  readonly epoch: number;
}

export interface TruthMachine {
  readonly id: string;
  readonly computerDnsName: string | null;
  readonly osPlatform: string;
  readonly onboardingStatus: string;
  /** As `/api/machines` says now: stands still while the machine is in a quiet spell. */
  readonly lastSeen: string;
  /** As `/api/machines` says now: Inactive once a quiet spell has lasted more than seven days since its last report. */
  readonly healthStatus: string;
  /** Whether the machine is in a quiet spell now (reports nothing; a live clock only). */
  readonly quiet: boolean;
  /** Records the full export returns for this machine. */
  readonly findings: number;
}

export interface TruthAlert {
  readonly id: string;
  readonly incidentId: string;
  readonly machineId: string;
  readonly severity: string;
  readonly status: string;
  readonly createdDateTime: string;
  readonly lastUpdateDateTime: string;
}

export interface TruthIncident {
  readonly id: string;
  readonly alertIds: readonly string[];
  readonly severity: string;
  readonly status: string;
  readonly createdDateTime: string;
  readonly lastUpdateDateTime: string;
}

export interface TruthMachineAction {
  readonly id: string;
  readonly type: string;
  readonly scope: string | null;
  readonly status: MachineActionStatus;
  readonly machineId: string;
  readonly computerDnsName: string | null;
  readonly requestor: string;
  readonly requestorComment: string;
  readonly requestSource: string;
  readonly creationDateTimeUtc: string;
  readonly lastUpdateDateTimeUtc: string;
  readonly cancellationRequestor: string | null;
  readonly cancellationComment: string | null;
}

/** An action made "in the Defender portal", i.e. not through the hub. */
export interface PortalActionRequest {
  /** Machine id or computer name, as the API accepts. */
  readonly machineId: string;
  readonly type: RequestableActionType;
  /** `Full`/`Selective`/`UnManagedDevice` for Isolate (default Full), `Quick`/`Full` for a scan (default Quick). */
  readonly scope?: string | undefined;
  readonly comment?: string | undefined;
  /** Default: an analyst of the tenant (`secops.anna@<tenant domain>`). */
  readonly requestor?: string | undefined;
}

/** The in-process twin of the `/_sim/*` routes. */
export interface SimulatorControl {
  settings(): SimulatorSettings;
  configure(change: SettingsChange): SimulatorSettings;
  faults(): FaultState;
  /** Replaces the fault probabilities (a spec string as for the `faults` option, or a parsed spec). */
  setFaults(spec: string | FaultSpec): FaultState;
  /** Appends per-request faults, applied before probabilities. */
  queueFaults(entries: readonly QueuedFault[]): FaultState;
  /** No probabilities and an empty queue. */
  clearFaults(): FaultState;
  /**
   * Moves the simulated clock forward (a live clock jumps, then flows on); machines, findings and alerts change
   * deterministically.
   */
  advance(hours: number): AdvanceResult;
  now(): string;
  clock(): ClockStatus;
  /** Adds a certificate credential to the app; returns its SHA-1 thumbprint. */
  registerCertificate(pemCertificate: string): string;
  truthSummary(): Promise<TruthSummary>;
  truthMachines(): Promise<TruthMachine[]>;
  /** The full-export records of one machine, or undefined when it does not exist now. */
  truthFindings(machineId: string): Record<string, unknown>[] | undefined;
  truthAlerts(): TruthAlert[];
  truthIncidents(): TruthIncident[];
  /** Every machine action at the simulated now, newest first. */
  truthMachineActions(): TruthMachineAction[];
  /** Books an action as an analyst in the portal would; refused like the API while one of its kind is under way. */
  requestMachineAction(request: PortalActionRequest): TruthMachineAction;
  /** Cancels an action as an analyst in the portal would. */
  cancelMachineAction(
    id: string,
    change?: { readonly comment?: string | undefined; readonly requestor?: string | undefined },
  ): TruthMachineAction;
  stats(): SimulatorStats;
  resetStats(): void;
  /**
   * Writes the current snapshot's export files ahead of their download, as Defender has them ready when the export
   * call lists them; until the next prepare, unfaulted downloads of this epoch are served from them.
   */
  prepareExports(): Promise<PreparedExport>;
}

export function createControl(state: SimState, defaultSecretExpiry: number): SimulatorControl {
  const { tenant } = state;
  const settings = (): SimulatorSettings => ({
    roles: [...state.settings.roles],
    secretExpiresAt: isoSecondsZ(state.settings.secretExpiresAt),
    rateLimits: state.settings.rateLimits,
  });
  const faults = (): FaultState => ({ spec: { ...state.faults.spec }, queue: state.faults.queue });
  return {
    settings,
    configure(change) {
      if (change.roles !== undefined)
        state.settings.roles = change.roles === null ? ALL_ROLES : validRoles(change.roles);
      if (change.secretExpiresAt !== undefined) {
        state.settings.secretExpiresAt =
          change.secretExpiresAt === null
            ? defaultSecretExpiry
            : instant(change.secretExpiresAt, 'secretExpiresAt');
      }
      if (change.rateLimits !== undefined) {
        state.settings.rateLimits = change.rateLimits;
        state.rateLimiter.reset();
      }
      return settings();
    },
    faults,
    setFaults(spec) {
      // An object spec goes through the same validation as a string one.
      state.faults.setSpec(parseFaultSpec(typeof spec === 'string' ? spec : formatFaultSpec(spec)));
      return faults();
    },
    queueFaults(entries) {
      for (const entry of entries) {
        if (!Number.isInteger(entry.count) || entry.count < 1)
          throw new InputError(`Queued fault count must be a positive whole number, got ${entry.count}`);
        parseFaultSpec(`${entry.fault}:1`);
      }
      state.faults.enqueue(entries);
      return faults();
    },
    clearFaults() {
      state.faults.setSpec({});
      state.faults.clearQueue();
      return faults();
    },
    advance(hours) {
      if (!(hours > 0) || hours > 24 * 365)
        throw new InputError(`hours must be a positive number of at most 8760, got ${hours}`);
      const epoch = tenant.clock.advance(hours);
      return { epoch, now: iso7(tenant.clock.now) };
    },
    now: () => iso7(tenant.clock.now),
    clock() {
      const { clock } = tenant;
      // The epoch first: reading it adds the epochs that have begun, so `now` is never before its start.
      const epoch = clock.epoch;
      return { mode: clock.mode, speed: clock.speed, now: iso7(clock.now), epoch };
    },
    registerCertificate: (pem) => state.certificates.register(pem),
    truthSummary: async () => (await state.truth.data(tenant.epoch)).summary,
    async truthMachines() {
      const epoch = tenant.epoch;
      const { findingsPerMachine } = await state.truth.data(epoch);
      return Array.from(tenant.population.alive(epoch), (index, position) => {
        const core = tenant.machine(index);
        const report = machineReport(tenant, core, epoch);
        return {
          id: core.id,
          computerDnsName: core.computerDnsName,
          osPlatform: core.platform.osPlatform,
          onboardingStatus: core.onboardingStatus,
          lastSeen: iso7(report.lastSeen),
          healthStatus: report.healthStatus,
          quiet: quietSpellAt(tenant, core, tenant.clock.epochStart(epoch)) !== undefined,
          findings: findingsPerMachine[position] ?? 0,
        };
      });
    },
    truthFindings(machineId) {
      const epoch = tenant.epoch;
      const core = tenant.findMachine(machineId, epoch);
      if (core === undefined) return undefined;
      return openFindings(tenant, core, epoch).map((slot) =>
        exportRecord(tenant, core, slot, findingLastSeen(tenant, core, slot, epoch), 'full'),
      );
    },
    truthAlerts: () =>
      tenant.alerts.states(tenant.epoch).map((alert) => ({
        id: alert.id,
        incidentId: String(alert.incidentId),
        machineId: alert.machine.id,
        severity: graphEnum(alert.severity),
        status: graphEnum(alert.status),
        createdDateTime: iso7(alert.created),
        lastUpdateDateTime: iso7(alert.lastUpdate),
      })),
    truthIncidents: () =>
      groupIncidents(tenant.alerts.states(tenant.epoch)).map((incident) => ({
        id: String(incident.id),
        alertIds: incident.alerts.map((alert) => alert.id),
        severity: graphEnum(incident.severity),
        status: incident.status,
        createdDateTime: iso7(incident.created),
        lastUpdateDateTime: iso7(incident.lastUpdate),
      })),
    truthMachineActions: () => tenant.machineActions.list().map(truthAction),
    requestMachineAction(request) {
      const machine = tenant.findMachine(request.machineId, tenant.epoch);
      if (machine === undefined) throw new InputError(`Machine ${request.machineId} was not found`);
      const outcome = tenant.machineActions.create(machine, {
        type: request.type,
        scope: portalScope(request),
        comment: request.comment ?? 'Requested in the Defender portal',
        requestor: request.requestor ?? `secops.anna@${tenant.identity.tenantDomain}`,
        requestSource: 'Portal',
      });
      if (!outcome.ok)
        throw new InputError(
          `Action is already in progress: ${request.type} ${outcome.pending.id} on machine ${machine.id} is ${outcome.pending.status}`,
        );
      return truthAction(outcome.action);
    },
    cancelMachineAction(id, change = {}) {
      const outcome = tenant.machineActions.cancel(
        id,
        change.requestor ?? `secops.anna@${tenant.identity.tenantDomain}`,
        change.comment ?? 'Cancelled in the Defender portal',
      );
      if (outcome.ok) return truthAction(outcome.action);
      throw new InputError(
        outcome.reason === 'not-found'
          ? `Machine action ${id} was not found`
          : `Machine action ${id} is ${outcome.action.status} and can no longer be cancelled`,
      );
    },
    stats: () => state.stats.snapshot(state.faults.injectedCounts()),
    resetStats() {
      state.stats.reset();
      state.faults.resetCounts();
    },
    prepareExports: () => state.preparedExports.prepare(tenant.epoch, exportPartBodies(state, tenant.epoch)),
  };
}

const PORTAL_SCOPES: Readonly<Record<RequestableActionType, readonly string[]>> = {
  Isolate: ['Full', 'Selective', 'UnManagedDevice'],
  RunAntiVirusScan: ['Quick', 'Full'],
  Unisolate: [],
  CollectInvestigationPackage: [],
};

function portalScope(request: PortalActionRequest): string | null {
  const allowed = PORTAL_SCOPES[request.type];
  if (allowed.length === 0) return null;
  const scope = request.scope ?? allowed[0] ?? null;
  if (scope === null || !allowed.includes(scope))
    throw new InputError(
      `scope of ${request.type} must be one of ${allowed.join(', ')}, got '${String(scope)}'`,
    );
  return scope;
}

function truthAction(action: MachineAction): TruthMachineAction {
  return {
    id: action.id,
    type: action.type,
    scope: action.scope,
    status: action.status,
    machineId: action.machineId,
    computerDnsName: action.computerDnsName,
    requestor: action.requestor,
    requestorComment: action.requestorComment,
    requestSource: action.requestSource,
    creationDateTimeUtc: iso7(action.created),
    lastUpdateDateTimeUtc: iso7(action.lastUpdate),
    cancellationRequestor: action.cancellation?.requestor ?? null,
    cancellationComment: action.cancellation?.comment ?? null,
  };
}

function validRoles(roles: readonly string[]): string[] {
  const unknown = roles.filter((role) => !ALL_ROLES.includes(role));
  if (unknown.length > 0)
    throw new InputError(`Unknown app role(s): ${unknown.join(', ')}. Known: ${ALL_ROLES.join(', ')}`);
  return [...roles];
}

export function instant(text: string, name: string): number {
  const ticks = parseIsoTicks(text);
  if (ticks === undefined) throw new InputError(`${name} must be an ISO 8601 date-time, got '${text}'`);
  return ticks;
}
