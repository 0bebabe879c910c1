import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type { SecretBox } from '../secrets/secret-box.js';
import { sealContext } from '../domain/sealed-secrets.js';
import {
  ApiBudgets,
  createDefenderClient,
  type DefenderClient,
  type DefenderClientOptions,
} from '../defender/index.js';
import {
  createIntegrationSchema,
  filtersSchema,
  importsSchema,
  protectedDevicesSchema,
  schedulesSchema,
  updateIntegrationSchema,
  type CreateIntegrationInput,
  type UpdateIntegrationInput,
} from './integration-schema.js';
import type { Integration } from '../domain/integration.js';
import { IntegrationConflictError, integrationNotFound } from './integration-errors.js';
import { defaultApiBaseUrl } from '../domain/clouds.js';
import { parseInput } from '../parse-input.js';
import {
  credentialCheckOutcomes,
  credentialWarnings,
  type CredentialCheckOutcome,
} from './credential-health.js';
import type { CredentialCheck } from './credential-check.js';
import type { IntegrationChange, IntegrationsRepository, StoredIntegration } from '../store/index.js';

const credentialContext = sealContext.integration;

/** What else must happen when an integration changes (its OS profiles follow its enabled state). */
export interface IntegrationHooks {
  readonly enabledChanged?: (integrationId: string, enabled: boolean) => Promise<void>;
}

/** Integrations: validation, encrypted credentials, and a Defender client per integration. */
export class IntegrationService {
  readonly #repository: IntegrationsRepository;
  readonly #secrets: SecretBox;
  readonly #hooks: IntegrationHooks;
  readonly #budgets: ApiBudgets;

  /** `budgets`: every client this service makes draws from the budget of its tenant and app there. */
  constructor(
    repository: IntegrationsRepository,
    secrets: SecretBox,
    hooks: IntegrationHooks = {},
    budgets: ApiBudgets = new ApiBudgets(),
  ) {
    this.#repository = repository;
    this.#secrets = secrets;
    this.#hooks = hooks;
    this.#budgets = budgets;
  }

  async create(input: CreateIntegrationInput): Promise<Integration> {
    const value = parseInput(createIntegrationSchema, input);
    if ((await this.#repository.findByName(value.name)) !== undefined)
      throw new IntegrationConflictError(value.name);
    const id = randomUUID();
    const now = new Date().toISOString();
    const credential = value.clientSecret ?? value.certificate ?? '';
    const stored = await this.#repository.insert({
      id,
      name: value.name,
      product: value.product,
      tenantId: value.tenantId,
      clientId: value.clientId,
      credentialType: value.clientSecret === undefined ? 'certificate' : 'secret',
      sealedCredential: this.#secrets.seal(credential, credentialContext(id)),
      credentialSetAt: now,
      apiBaseUrl: value.apiBaseUrl ?? defaultApiBaseUrl,
      authorityHost: value.authorityHost ?? null,
      graphBaseUrl: value.graphBaseUrl ?? null,
      armBaseUrl: value.armBaseUrl ?? null,
      subscriptions: value.subscriptions ?? [],
      caPem: value.caPem ?? null,
      enabled: value.enabled,
      imports: value.imports,
      schedules: value.schedules,
      filters: value.filters,
      protectedDevices: value.protectedDevices,
      createdAt: now,
      updatedAt: now,
    });
    return toIntegration(stored);
  }

  async list(): Promise<Integration[]> {
    return (await this.#repository.list()).map(toIntegration);
  }

  /** By id, or by name for the CLI's convenience. */
  async get(idOrName: string): Promise<Integration> {
    return toIntegration(await this.#stored(idOrName));
  }

  async update(idOrName: string, input: UpdateIntegrationInput): Promise<Integration> {
    const current = await this.#stored(idOrName);
    const value = parseInput(updateIntegrationSchema, input);
    if (
      value.name !== undefined &&
      value.name !== current.name &&
      (await this.#repository.findByName(value.name)) !== undefined
    ) {
      throw new IntegrationConflictError(value.name);
    }
    const updated = await this.#repository.update(
      current.id,
      this.#changes(current, value, new Date().toISOString()),
    );
    if (updated === undefined) throw integrationNotFound(idOrName);
    if (value.enabled !== undefined && value.enabled !== current.enabled)
      await this.#hooks.enabledChanged?.(current.id, value.enabled);
    return toIntegration(updated);
  }

  /**
   * The integration as the changes would make it, with a client for it; nothing is saved. It lets the form test
   * edits before Save. `credentialKept`: the stored credential is tested the way it is stored (same tenant, app,
   * hosts and CA), so what the test learns of its health is the stored credential's to keep.
   */
  async draft(
    idOrName: string,
    input: UpdateIntegrationInput,
    options: DefenderClientOptions = {},
  ): Promise<{ integration: Integration; client: DefenderClient; credentialKept: boolean }> {
    const current = await this.#stored(idOrName);
    const value = parseInput(updateIntegrationSchema, input);
    const { sealedCredential, ...changes } = this.#changes(current, value, current.updatedAt);
    const draft: StoredIntegration = { ...current, ...changes };
    return {
      integration: toIntegration(draft),
      client: this.#clientOf(draft, sealedCredential ?? (await this.#sealedCredential(current.id)), options),
      credentialKept: !connectionChanged(current, value),
    };
  }

  /** The fields that validated changes set; null clears an optional host or the CA certificate. */
  #changes(
    current: StoredIntegration,
    value: z.output<typeof updateIntegrationSchema>,
    now: string,
  ): IntegrationChange {
    const existing = toIntegration(current);
    const credential = value.clientSecret ?? value.certificate;
    return {
      ...(credentialChanged(current, value) ? UNKNOWN_HEALTH : {}),
      ...(value.name === undefined ? {} : { name: value.name }),
      ...(value.product === undefined ? {} : { product: value.product }),
      ...(value.tenantId === undefined ? {} : { tenantId: value.tenantId }),
      ...(value.clientId === undefined ? {} : { clientId: value.clientId }),
      ...(credential === undefined
        ? {}
        : {
            credentialType: value.clientSecret === undefined ? 'certificate' : 'secret',
            sealedCredential: this.#secrets.seal(credential, credentialContext(current.id)),
            credentialSetAt: now,
          }),
      ...(value.apiBaseUrl === undefined ? {} : { apiBaseUrl: value.apiBaseUrl }),
      ...(value.authorityHost === undefined ? {} : { authorityHost: value.authorityHost }),
      ...(value.graphBaseUrl === undefined ? {} : { graphBaseUrl: value.graphBaseUrl }),
      ...(value.armBaseUrl === undefined ? {} : { armBaseUrl: value.armBaseUrl }),
      ...(value.subscriptions === undefined ? {} : { subscriptions: value.subscriptions }),
      ...(value.caPem === undefined ? {} : { caPem: value.caPem }),
      ...(value.enabled === undefined ? {} : { enabled: value.enabled }),
      ...(value.imports === undefined ? {} : { imports: laidOver(existing.imports, value.imports) }),
      ...(value.schedules === undefined ? {} : { schedules: laidOver(existing.schedules, value.schedules) }),
      ...(value.filters === undefined ? {} : { filters: laidOver(existing.filters, value.filters) }),
      ...(value.protectedDevices === undefined
        ? {}
        : { protectedDevices: laidOver(existing.protectedDevices, value.protectedDevices) }),
      updatedAt: now,
    };
  }

  setEnabled(idOrName: string, enabled: boolean): Promise<Integration> {
    return this.update(idOrName, { enabled });
  }

  async remove(idOrName: string): Promise<void> {
    const stored = await this.#stored(idOrName);
    await this.#repository.remove(stored.id);
  }

  /**
   * Keeps what a look at the credential's health found. Not a settings change, so `updatedAt` stays; a look
   * that learned nothing of the end date keeps the one known.
   */
  async recordCredentialCheck(id: string, check: CredentialCheck): Promise<void> {
    await this.#repository.update(id, {
      credentialCheck: check.outcome,
      credentialCheckedAt: check.checkedAt,
      ...(check.expiresAt === undefined ? {} : { credentialExpiresAt: check.expiresAt }),
    });
  }

  /** A Defender client with the integration's decrypted credential; the caller closes it. */
  async client(idOrName: string, options: DefenderClientOptions = {}): Promise<DefenderClient> {
    const stored = await this.#stored(idOrName);
    return this.#clientOf(stored, await this.#sealedCredential(stored.id), options);
  }

  #clientOf(
    integration: StoredIntegration,
    sealedCredential: string,
    options: DefenderClientOptions,
  ): DefenderClient {
    const secret = this.#secrets.open(sealedCredential, credentialContext(integration.id));
    return createDefenderClient(
      {
        tenantId: integration.tenantId,
        clientId: integration.clientId,
        credential:
          integration.credentialType === 'secret'
            ? { type: 'secret', clientSecret: secret }
            : { type: 'certificate', certificatePem: secret },
        apiBaseUrl: integration.apiBaseUrl,
        ...(integration.authorityHost === null ? {} : { authorityHost: integration.authorityHost }),
        ...(integration.graphBaseUrl === null ? {} : { graphBaseUrl: integration.graphBaseUrl }),
        ...(integration.armBaseUrl === null ? {} : { armBaseUrl: integration.armBaseUrl }),
        ...(integration.caPem === null ? {} : { caPem: integration.caPem }),
      },
      {
        ...options,
        governor: options.governor ?? this.#budgets.of(integration.tenantId, integration.clientId),
      },
    );
  }

  async #stored(idOrName: string): Promise<StoredIntegration> {
    const stored = (await this.#repository.find(idOrName)) ?? (await this.#repository.findByName(idOrName));
    if (stored === undefined) throw integrationNotFound(idOrName);
    return stored;
  }

  async #sealedCredential(id: string): Promise<string> {
    const sealed = await this.#repository.sealedCredential(id);
    if (sealed === undefined) throw integrationNotFound(id);
    return sealed;
  }
}

/**
 * A stored setting with a change's fields laid over it. zod types a partial object's fields `| undefined`, but it
 * leaves an absent field out, so every field is the change's or the stored one.
 */
function laidOver<T extends object>(stored: T, change: { [K in keyof T]?: T[K] | undefined }): T {
  return { ...stored, ...change };
}

/** What is known of a credential's health stops being true when the credential, the app or the tenant changes. */
const UNKNOWN_HEALTH = {
  credentialCheck: null,
  credentialCheckedAt: null,
  credentialExpiresAt: null,
} as const;

function credentialChanged(
  current: StoredIntegration,
  value: z.output<typeof updateIntegrationSchema>,
): boolean {
  return (
    value.clientSecret !== undefined ||
    value.certificate !== undefined ||
    (value.clientId !== undefined && value.clientId !== current.clientId) ||
    (value.tenantId !== undefined && value.tenantId !== current.tenantId)
  );
}

/** Whether the changes sign in or reach Defender otherwise than the stored settings do. */
function connectionChanged(
  current: StoredIntegration,
  value: z.output<typeof updateIntegrationSchema>,
): boolean {
  const differs = (next: string | null | undefined, stored: string | null): boolean =>
    next !== undefined && next !== stored;
  return (
    credentialChanged(current, value) ||
    differs(value.apiBaseUrl, current.apiBaseUrl) ||
    differs(value.authorityHost, current.authorityHost) ||
    differs(value.graphBaseUrl, current.graphBaseUrl) ||
    differs(value.caPem, current.caPem)
  );
}

function storedOutcome(value: string | null): CredentialCheckOutcome | null {
  return credentialCheckOutcomes.find((outcome) => outcome === value) ?? null;
}

function toIntegration(stored: StoredIntegration): Integration {
  const health = {
    type: stored.credentialType,
    outcome: storedOutcome(stored.credentialCheck),
    expiresAt: stored.credentialExpiresAt,
  };
  return {
    id: stored.id,
    name: stored.name,
    product: stored.product,
    tenantId: stored.tenantId,
    clientId: stored.clientId,
    credential: {
      type: stored.credentialType,
      set: true,
      setAt: stored.credentialSetAt,
      expiresAt: stored.credentialExpiresAt,
      checkedAt: stored.credentialCheckedAt,
      warnings: credentialWarnings(health, new Date()),
    },
    apiBaseUrl: stored.apiBaseUrl,
    authorityHost: stored.authorityHost,
    graphBaseUrl: stored.graphBaseUrl,
    armBaseUrl: stored.armBaseUrl,
    subscriptions: stored.subscriptions,
    caPem: stored.caPem,
    enabled: stored.enabled,
    // Read through the schemas: a row written before a setting existed gets its default.
    imports: importsSchema.parse(stored.imports),
    schedules: schedulesSchema.parse(stored.schedules),
    filters: filtersSchema.parse(stored.filters),
    protectedDevices: protectedDevicesSchema.parse(stored.protectedDevices),
    createdAt: stored.createdAt,
    updatedAt: stored.updatedAt,
  };
}
