import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type { SecretBox } from '../secrets/secret-box.js';
import { sealContext } from '../domain/sealed-secrets.js';
import { createDefenderClient, type DefenderClient, type DefenderClientOptions } from '../defender/index.js';
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
import { type IntegrationRow, type IntegrationsRepository, parseStringArray } from '../store/index.js';

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

  constructor(repository: IntegrationsRepository, secrets: SecretBox, hooks: IntegrationHooks = {}) {
    this.#repository = repository;
    this.#secrets = secrets;
    this.#hooks = hooks;
  }

  async create(input: CreateIntegrationInput): Promise<Integration> {
    const value = parseInput(createIntegrationSchema, input);
    if ((await this.#repository.findByName(value.name)) !== undefined)
      throw new IntegrationConflictError(value.name);
    const id = randomUUID();
    const now = new Date().toISOString();
    const credential = value.clientSecret ?? value.certificate ?? '';
    const row = await this.#repository.insert({
      id,
      name: value.name,
      product: value.product,
      tenant_id: value.tenantId,
      client_id: value.clientId,
      credential_type: value.clientSecret === undefined ? 'certificate' : 'secret',
      credential_ciphertext: this.#secrets.seal(credential, credentialContext(id)),
      credential_set_at: now,
      api_base_url: value.apiBaseUrl ?? defaultApiBaseUrl,
      authority_host: value.authorityHost ?? null,
      graph_base_url: value.graphBaseUrl ?? null,
      arm_base_url: value.armBaseUrl ?? null,
      subscriptions: JSON.stringify(value.subscriptions ?? []),
      ca_pem: value.caPem ?? null,
      enabled: value.enabled ? 1 : 0,
      imports: JSON.stringify(value.imports),
      schedules: JSON.stringify(value.schedules),
      filters: JSON.stringify(value.filters),
      protected_devices: JSON.stringify(value.protectedDevices),
      created_at: now,
      updated_at: now,
    });
    return toIntegration(row);
  }

  async list(): Promise<Integration[]> {
    return (await this.#repository.list()).map(toIntegration);
  }

  /** By id, or by name for the CLI's convenience. */
  async get(idOrName: string): Promise<Integration> {
    return toIntegration(await this.#row(idOrName));
  }

  async update(idOrName: string, input: UpdateIntegrationInput): Promise<Integration> {
    const current = await this.#row(idOrName);
    const value = parseInput(updateIntegrationSchema, input);
    if (
      value.name !== undefined &&
      value.name !== current.name &&
      (await this.#repository.findByName(value.name)) !== undefined
    ) {
      throw new IntegrationConflictError(value.name);
    }
    const row = await this.#repository.update(
      current.id,
      this.#changes(current, value, new Date().toISOString()),
    );
    if (row === undefined) throw integrationNotFound(idOrName);
    if (value.enabled !== undefined && value.enabled !== (current.enabled === 1))
      await this.#hooks.enabledChanged?.(current.id, value.enabled);
    return toIntegration(row);
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
    const current = await this.#row(idOrName);
    const value = parseInput(updateIntegrationSchema, input);
    const row: IntegrationRow = { ...current, ...this.#changes(current, value, current.updated_at) };
    return {
      integration: toIntegration(row),
      client: this.#clientOf(row, options),
      credentialKept: !connectionChanged(current, value),
    };
  }

  /** The row's columns that validated changes set; null clears an optional host or the CA certificate. */
  #changes(
    current: IntegrationRow,
    value: z.output<typeof updateIntegrationSchema>,
    now: string,
  ): Partial<Omit<IntegrationRow, 'id' | 'created_at'>> {
    const existing = toIntegration(current);
    const credential = value.clientSecret ?? value.certificate;
    return {
      ...(credentialChanged(current, value) ? UNKNOWN_HEALTH : {}),
      ...(value.name === undefined ? {} : { name: value.name }),
      ...(value.product === undefined ? {} : { product: value.product }),
      ...(value.tenantId === undefined ? {} : { tenant_id: value.tenantId }),
      ...(value.clientId === undefined ? {} : { client_id: value.clientId }),
      ...(credential === undefined
        ? {}
        : {
            credential_type: value.clientSecret === undefined ? 'certificate' : 'secret',
            credential_ciphertext: this.#secrets.seal(credential, credentialContext(current.id)),
            credential_set_at: now,
          }),
      ...(value.apiBaseUrl === undefined ? {} : { api_base_url: value.apiBaseUrl }),
      ...(value.authorityHost === undefined ? {} : { authority_host: value.authorityHost }),
      ...(value.graphBaseUrl === undefined ? {} : { graph_base_url: value.graphBaseUrl }),
      ...(value.armBaseUrl === undefined ? {} : { arm_base_url: value.armBaseUrl }),
      ...(value.subscriptions === undefined ? {} : { subscriptions: JSON.stringify(value.subscriptions) }),
      ...(value.caPem === undefined ? {} : { ca_pem: value.caPem }),
      ...(value.enabled === undefined ? {} : { enabled: value.enabled ? 1 : 0 }),
      ...(value.imports === undefined
        ? {}
        : { imports: JSON.stringify({ ...existing.imports, ...value.imports }) }),
      ...(value.schedules === undefined
        ? {}
        : { schedules: JSON.stringify({ ...existing.schedules, ...value.schedules }) }),
      ...(value.filters === undefined
        ? {}
        : { filters: JSON.stringify({ ...existing.filters, ...value.filters }) }),
      ...(value.protectedDevices === undefined
        ? {}
        : {
            protected_devices: JSON.stringify({ ...existing.protectedDevices, ...value.protectedDevices }),
          }),
      updated_at: now,
    };
  }

  setEnabled(idOrName: string, enabled: boolean): Promise<Integration> {
    return this.update(idOrName, { enabled });
  }

  async remove(idOrName: string): Promise<void> {
    const row = await this.#row(idOrName);
    await this.#repository.remove(row.id);
  }

  /**
   * Keeps what a look at the credential's health found. Not a settings change, so `updatedAt` stays; a look
   * that learned nothing of the end date keeps the one known.
   */
  async recordCredentialCheck(id: string, check: CredentialCheck): Promise<void> {
    await this.#repository.update(id, {
      credential_check: check.outcome,
      credential_checked_at: check.checkedAt,
      ...(check.expiresAt === undefined ? {} : { credential_expires_at: check.expiresAt }),
    });
  }

  /** A Defender client with the integration's decrypted credential; the caller closes it. */
  async client(idOrName: string, options: DefenderClientOptions = {}): Promise<DefenderClient> {
    return this.#clientOf(await this.#row(idOrName), options);
  }

  #clientOf(row: IntegrationRow, options: DefenderClientOptions): DefenderClient {
    const secret = this.#secrets.open(row.credential_ciphertext, credentialContext(row.id));
    return createDefenderClient(
      {
        tenantId: row.tenant_id,
        clientId: row.client_id,
        credential:
          row.credential_type === 'secret'
            ? { type: 'secret', clientSecret: secret }
            : { type: 'certificate', certificatePem: secret },
        apiBaseUrl: row.api_base_url,
        ...(row.authority_host === null ? {} : { authorityHost: row.authority_host }),
        ...(row.graph_base_url === null ? {} : { graphBaseUrl: row.graph_base_url }),
        ...(row.arm_base_url === null ? {} : { armBaseUrl: row.arm_base_url }),
        ...(row.ca_pem === null ? {} : { caPem: row.ca_pem }),
      },
      options,
    );
  }

  async #row(idOrName: string): Promise<IntegrationRow> {
    const row = (await this.#repository.find(idOrName)) ?? (await this.#repository.findByName(idOrName));
    if (row === undefined) throw integrationNotFound(idOrName);
    return row;
  }
}

/** What is known of a credential's health stops being true when the credential, the app or the tenant changes. */
const UNKNOWN_HEALTH = {
  credential_check: null,
  credential_checked_at: null,
  credential_expires_at: null,
} as const;

function credentialChanged(
  current: IntegrationRow,
  value: z.output<typeof updateIntegrationSchema>,
): boolean {
  return (
    value.clientSecret !== undefined ||
    value.certificate !== undefined ||
    (value.clientId !== undefined && value.clientId !== current.client_id) ||
    (value.tenantId !== undefined && value.tenantId !== current.tenant_id)
  );
}

/** Whether the changes sign in or reach Defender otherwise than the stored settings do. */
function connectionChanged(
  current: IntegrationRow,
  value: z.output<typeof updateIntegrationSchema>,
): boolean {
  const differs = (next: string | null | undefined, stored: string | null): boolean =>
    next !== undefined && next !== stored;
  return (
    credentialChanged(current, value) ||
    differs(value.apiBaseUrl, current.api_base_url) ||
    differs(value.authorityHost, current.authority_host) ||
    differs(value.graphBaseUrl, current.graph_base_url) ||
    differs(value.caPem, current.ca_pem)
  );
}

function storedOutcome(value: string | null): CredentialCheckOutcome | null {
  return credentialCheckOutcomes.find((outcome) => outcome === value) ?? null;
}

function toIntegration(row: IntegrationRow): Integration {
  const health = {
    type: row.credential_type,
    outcome: storedOutcome(row.credential_check),
    expiresAt: row.credential_expires_at,
  };
  return {
    id: row.id,
    name: row.name,
    product: row.product,
    tenantId: row.tenant_id,
    clientId: row.client_id,
    credential: {
      type: row.credential_type,
      set: true,
      setAt: row.credential_set_at,
      expiresAt: row.credential_expires_at,
      checkedAt: row.credential_checked_at,
      warnings: credentialWarnings(health, new Date()),
    },
    apiBaseUrl: row.api_base_url,
    authorityHost: row.authority_host,
    graphBaseUrl: row.graph_base_url,
    armBaseUrl: row.arm_base_url,
    subscriptions: parseStringArray(row.subscriptions),
    caPem: row.ca_pem,
    enabled: row.enabled === 1,
    imports: importsSchema.parse(JSON.parse(row.imports)),
    schedules: schedulesSchema.parse(JSON.parse(row.schedules)),
    filters: filtersSchema.parse(JSON.parse(row.filters)),
    protectedDevices: protectedDevicesSchema.parse(JSON.parse(row.protected_devices)),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
