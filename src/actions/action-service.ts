import { HubError } from '../errors.js';
import { roleAllows, type Role } from '../domain/roles.js';
import { roleTooLow } from '../auth/auth-errors.js';
import { parseInput } from '../parse-input.js';
import {
  ActionAlreadyInProgressError,
  isFinalAction,
  type DefenderClient,
  type DefenderClientOptions,
  type MachineAction,
} from '../defender/index.js';
import type { IntegrationService } from '../integrations/integration-service.js';
import { protectionReason } from '../domain/protected-devices.js';
import { notOnboardedReason } from '../domain/onboarding.js';
import { isolationState, type IsolationState } from '../domain/isolation.js';
import {
  actionRequestSchema,
  bulkActionRequestSchema,
  cancelRequestSchema,
  defenderActionType,
  type ActionRequest,
} from './action-input.js';
import { actionNotFound, ActionRefusedError } from './action-errors.js';
import { toActionRecord, type ActionSummary } from './action-records.js';
import { storeMachineActions } from '../sync/datasets/machine-actions.js';
import { abortableSleep } from '../defender/abortable-sleep.js';
import {
  type EndpointIdentity,
  endpointNotFound,
  type MachineActionFilter,
  type Page,
  type PageRequest,
  type Repositories,
} from '../store/index.js';

/** What became of one endpoint's request. */
export interface ActionOutcome {
  endpointId: number;
  ok: boolean;
  dryRun: boolean;
  /** Defender already had an action of this kind under way on the device: `action` is that one. */
  linked: boolean;
  action: ActionSummary | null;
  /** A dry run: what would be asked of Defender. */
  wouldRequest: { type: string; scope: string | null; machineId: string; comment: string } | null;
  error: { code: string; message: string } | null;
}

export interface ActionServiceOptions {
  /** Endpoints per bulk request (default 100). */
  readonly bulkLimit?: number;
  /** First wait between polls of an action being tracked (default 5 s); grows while nothing changes. */
  readonly pollIntervalMs?: number;
  readonly maxPollIntervalMs?: number;
}

/** Who asks for an action, as recorded with it, and the role they hold. */
export interface Requester {
  readonly name: string;
  readonly role: Role;
}

/** Analysts scan, isolate and release; collecting an investigation package (forensics) is for admins. */
function mayRequest(by: Requester, type: string): void {
  if (type === 'collectInvestigationPackage' && !roleAllows(by.role, 'admin'))
    throw roleTooLow('admin', by.role);
}

/**
 * Response actions: sends them to Defender with the guardrails (devices Defender only discovered, protected
 * devices, dry runs, bulk caps), records them with who asked, and tracks each to its final state in the
 * background. "Already in progress" is not a failure: the action under way is linked instead.
 */
export class ActionService {
  readonly #repos: Repositories;
  readonly #integrations: IntegrationService;
  readonly #options: Required<ActionServiceOptions>;
  /** Given to every client it opens: where their calls are counted. */
  readonly #clientOptions: Pick<DefenderClientOptions, 'onCall'>;
  readonly #stop = new AbortController();
  /** The tracking loop of each integration with actions under way. */
  readonly #loops = new Map<string, Promise<void>>();

  constructor(
    repos: Repositories,
    integrations: IntegrationService,
    options: ActionServiceOptions = {},
    clientOptions: Pick<DefenderClientOptions, 'onCall'> = {},
  ) {
    this.#repos = repos;
    this.#integrations = integrations;
    this.#options = { bulkLimit: 100, pollIntervalMs: 5000, maxPollIntervalMs: 60_000, ...options };
    this.#clientOptions = clientOptions;
  }

  get bulkLimit(): number {
    return this.#options.bulkLimit;
  }

  async request(endpointId: number, input: unknown, by: Requester): Promise<ActionOutcome> {
    const request = parseInput(actionRequestSchema, input);
    mayRequest(by, request.type);
    const requestedBy = by.name;
    const endpoint = (await this.#repos.endpoints.identities([endpointId])).get(endpointId);
    if (endpoint === undefined) throw endpointNotFound(endpointId);
    return this.#withClients((clientFor) => this.#send(endpoint, request, requestedBy, clientFor));
  }

  /** One comment for many endpoints, answered per endpoint: one refusal or failure never stops the others. */
  async requestBulk(input: unknown, by: Requester): Promise<ActionOutcome[]> {
    const { endpointIds, ...request } = parseInput(bulkActionRequestSchema, input);
    mayRequest(by, request.type);
    const requestedBy = by.name;
    const distinct = [...new Set(endpointIds)];
    if (distinct.length > this.#options.bulkLimit)
      throw new ActionRefusedError(
        'ACTION_BULK_TOO_LARGE',
        `A bulk request takes at most ${this.#options.bulkLimit} endpoints; this one names ${distinct.length}. Split it.`,
        { limit: this.#options.bulkLimit, requested: distinct.length },
      );
    const endpoints = await this.#repos.endpoints.identities(distinct);
    return this.#withClients(async (clientFor) => {
      const outcomes: ActionOutcome[] = [];
      for (const id of distinct) {
        const endpoint = endpoints.get(id);
        outcomes.push(
          endpoint === undefined
            ? failed(id, request.dryRun, endpointNotFound(id))
            : await this.#send(endpoint, request, requestedBy, clientFor).catch((error: unknown) =>
                failed(id, request.dryRun, error),
              ),
        );
      }
      return outcomes;
    });
  }

  async cancel(actionId: string, input: unknown, by: Requester): Promise<ActionSummary> {
    const requestedBy = by.name;
    const { comment } = parseInput(cancelRequestSchema, input);
    const stored = await this.#repos.machineActions.get(actionId);
    if (stored === undefined) throw actionNotFound(actionId);
    const action = await this.#withClient(stored.integrationId, (client) =>
      client.machineActions.cancel(actionId, { comment: `${comment} (${requestedBy})` }),
    );
    return this.#record(stored.integrationId, action, stored.requestedBy);
  }

  async get(actionId: string): Promise<ActionSummary> {
    const stored = await this.#repos.machineActions.get(actionId);
    if (stored === undefined) throw actionNotFound(actionId);
    return stored;
  }

  async list(filter: MachineActionFilter, page: PageRequest): Promise<Page<ActionSummary>> {
    return this.#repos.machineActions.list(filter, page);
  }

  /** Each machine's isolation state, from its stored isolate and release actions. */
  async isolation(
    integrationId: string,
    machineIds: readonly string[],
  ): Promise<Map<string, IsolationState>> {
    const actions = await this.#repos.machineActions.isolationActions(integrationId, machineIds);
    return new Map(
      machineIds.map((machineId) => [
        machineId,
        isolationState(actions.filter((a) => a.machineId === machineId)),
      ]),
    );
  }

  /** Waits for the tracking loops to end; with `stop`, ends them first (the next machine actions sync goes on). */
  async settle(options: { stop?: boolean } = {}): Promise<void> {
    if (options.stop === true) this.#stop.abort();
    while (this.#loops.size > 0) await Promise.allSettled([...this.#loops.values()]);
  }

  async #send(
    endpoint: EndpointIdentity,
    request: ActionRequest,
    requestedBy: string,
    clientFor: (integrationId: string) => Promise<DefenderClient>,
  ): Promise<ActionOutcome> {
    const notOnboarded = notOnboardedReason(endpoint.onboardingStatus);
    if (notOnboarded !== undefined)
      throw new ActionRefusedError(
        'ACTION_DEVICE_NOT_ONBOARDED',
        `Endpoint ${endpoint.id} (${endpoint.name ?? endpoint.machineId}) is not onboarded: ${notOnboarded}. Onboard it to Defender for Endpoint to scan, isolate or collect from it.`,
        { endpointId: endpoint.id, onboardingStatus: endpoint.onboardingStatus },
      );
    if (request.type === 'isolate') {
      const integration = await this.#integrations.get(endpoint.integrationId);
      const reason = protectionReason(endpoint, integration.protectedDevices);
      if (reason !== undefined)
        throw new ActionRefusedError(
          'ACTION_PROTECTED_DEVICE',
          `Endpoint ${endpoint.id} (${endpoint.name ?? endpoint.machineId}) is protected from isolation by its ${reason}; change the integration's protectedDevices to isolate it.`,
          { endpointId: endpoint.id, reason },
        );
    }
    const scope =
      request.type === 'scan'
        ? (request.scanType ?? 'Quick')
        : request.type === 'isolate'
          ? (request.isolationType ?? 'Full')
          : null;
    if (request.dryRun)
      return {
        ...outcome(endpoint.id, true),
        wouldRequest: {
          type: defenderActionType[request.type],
          scope,
          machineId: endpoint.machineId,
          comment: request.comment,
        },
      };
    const client = await clientFor(endpoint.integrationId);
    const { action, linked } = await sendAction(client, endpoint.machineId, request, scope);
    const summary = await this.#record(endpoint.integrationId, action, linked ? null : requestedBy);
    this.#track(endpoint.integrationId, action);
    return { ...outcome(endpoint.id, false), linked, action: summary };
  }

  async #record(
    integrationId: string,
    action: MachineAction,
    requestedBy: string | null,
  ): Promise<ActionSummary> {
    await this.#repos.machineActions.upsert([
      toActionRecord(action, integrationId, requestedBy, new Date().toISOString()),
    ]);
    const stored = await this.#repos.machineActions.get(action.id);
    if (stored === undefined) throw actionNotFound(action.id);
    return stored;
  }

  /**
   * Tracks the integration's actions to their final states: one loop per integration, however many actions, that
   * re-reads the actions list from the oldest still under way (one call per poll, never one per action) and
   * stores what changed, waiting longer while nothing does. It ends when none is under way; the machine actions
   * sync picks up whatever a stopped hub left.
   */
  #track(integrationId: string, action: MachineAction): void {
    if (isFinalAction(action)) return;
    if (this.#loops.has(integrationId)) return;
    const loop = this.#refreshUntilSettled(integrationId)
      .catch(() => undefined)
      .finally(() => {
        if (this.#loops.get(integrationId) === loop) this.#loops.delete(integrationId);
      });
    this.#loops.set(integrationId, loop);
  }

  async #refreshUntilSettled(integrationId: string): Promise<void> {
    const signal = this.#stop.signal;
    const { pollIntervalMs, maxPollIntervalMs } = this.#options;
    await this.#withClient(integrationId, async (client) => {
      let wait = pollIntervalMs;
      for (;;) {
        await abortableSleep(wait, signal);
        const open = await this.#repos.machineActions.oldestOpen(integrationId);
        if (open === undefined) {
          // In the same turn as the check, so an action recorded after it starts a loop of its own.
          this.#loops.delete(integrationId);
          return;
        }
        let changed = 0;
        await storeMachineActions(client, this.#repos, integrationId, open, {
          signal,
          onBatch: (_batch, n) => (changed += n),
        });
        wait = changed > 0 ? pollIntervalMs : Math.min(maxPollIntervalMs, Math.round(wait * 1.5));
      }
    });
  }

  /** Follows one action to its final state now (the CLI's --wait), storing each change on the way. */
  async waitForFinal(actionId: string, options: { signal?: AbortSignal } = {}): Promise<ActionSummary> {
    const stored = await this.#repos.machineActions.get(actionId);
    if (stored === undefined) throw actionNotFound(actionId);
    let last: MachineAction | undefined;
    await this.#withClient(stored.integrationId, async (client) => {
      for await (const change of client.machineActions.watch(actionId, {
        ...options,
        intervalMs: this.#options.pollIntervalMs,
        maxIntervalMs: this.#options.maxPollIntervalMs,
      })) {
        last = change;
        await this.#record(stored.integrationId, change, stored.requestedBy);
      }
    });
    return last === undefined ? stored : this.get(actionId);
  }

  /**
   * One client per integration for the length of a request, however many of its endpoints the request names: a
   * client signs in once, so a bulk of 50 is one token, not 50.
   */
  async #withClients<T>(
    work: (clientFor: (integrationId: string) => Promise<DefenderClient>) => Promise<T>,
  ): Promise<T> {
    const clients = new Map<string, Promise<DefenderClient>>();
    const clientFor = (integrationId: string): Promise<DefenderClient> => {
      const open =
        clients.get(integrationId) ?? this.#integrations.client(integrationId, this.#clientOptions);
      clients.set(integrationId, open);
      return open;
    };
    try {
      return await work(clientFor);
    } finally {
      await Promise.allSettled([...clients.values()].map(async (client) => (await client).close()));
    }
  }

  async #withClient<T>(integrationId: string, work: (client: DefenderClient) => Promise<T>): Promise<T> {
    const client = await this.#integrations.client(integrationId, this.#clientOptions);
    try {
      return await work(client);
    } finally {
      await client.close();
    }
  }
}

async function sendAction(
  client: DefenderClient,
  machineId: string,
  request: ActionRequest,
  scope: string | null,
): Promise<{ action: MachineAction; linked: boolean }> {
  const options = { comment: request.comment };
  try {
    const action = await (() => {
      switch (request.type) {
        case 'scan':
          return client.machineActions.runAntivirusScan(machineId, {
            ...options,
            scanType: scope === 'Full' ? 'Full' : 'Quick',
          });
        case 'isolate':
          return client.machineActions.isolate(machineId, {
            ...options,
            isolationType: scope === 'Selective' ? 'Selective' : 'Full',
          });
        case 'release':
          return client.machineActions.release(machineId, options);
        case 'collectInvestigationPackage':
          return client.machineActions.collectInvestigationPackage(machineId, options);
      }
    })();
    return { action, linked: false };
  } catch (error) {
    if (!(error instanceof ActionAlreadyInProgressError) || error.pendingActionId === undefined) throw error;
    return { action: await client.machineActions.get(error.pendingActionId), linked: true };
  }
}

function outcome(endpointId: number, dryRun: boolean): ActionOutcome {
  return { endpointId, ok: true, dryRun, linked: false, action: null, wouldRequest: null, error: null };
}

function failed(endpointId: number, dryRun: boolean, error: unknown): ActionOutcome {
  const known = error instanceof HubError;
  return {
    ...outcome(endpointId, dryRun),
    ok: false,
    error: {
      code: known ? error.code : 'ACTION_FAILED',
      message: known ? error.message : 'The action could not be sent; see the hub log.',
    },
  };
}
