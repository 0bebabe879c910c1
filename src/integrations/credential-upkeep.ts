import type { DefenderClientOptions } from '../defender/index.js';
import {
  checkAfterFailure,
  isSecretExpired,
  readCredentialExpiry,
  withExpiryDate,
} from './credential-check.js';
import { credentialCheckDue } from './credential-health.js';
import type { Integration } from '../domain/integration.js';
import type { IntegrationService } from './integration-service.js';

/** The sync's share of credential health: the daily look, and an expired secret reported with its date. */
export class CredentialUpkeep {
  readonly #integrations: IntegrationService;
  readonly #clientOptions: DefenderClientOptions;

  constructor(integrations: IntegrationService, clientOptions: DefenderClientOptions = {}) {
    this.#integrations = integrations;
    this.#clientOptions = clientOptions;
  }

  /**
   * Reads when the credential expires if the last look is a day old: one Graph call per integration and day,
   * whatever the number of runs or machines. Its own client keeps the call out of the run's counts. Never throws.
   */
  async lookIfDue(integrationId: string, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted === true) return;
    try {
      const integration = await this.#integrations.get(integrationId);
      if (!credentialCheckDue(integration.credential.checkedAt, new Date())) return;
      const client = await this.#integrations.client(integration.id, this.#clientOptions);
      try {
        const check = await readCredentialExpiry(client, signal);
        await this.#integrations.recordCredentialCheck(integration.id, check);
      } finally {
        await client.close();
      }
    } catch {
      // The look is a courtesy to the run that just ended: an integration removed meanwhile, or a store that
      // refused the write, must not turn that run into a failure. The next run looks again.
    }
  }

  /** A run's failure as it is recorded: an expired secret says since when, and the integration shows it. */
  async explainFailure(integration: Integration, error: unknown): Promise<unknown> {
    if (!isSecretExpired(error)) return error;
    // Remembering it is secondary: a store that refuses this write must not keep the run from being recorded.
    await this.#integrations
      .recordCredentialCheck(integration.id, checkAfterFailure(error))
      .catch(() => undefined);
    return withExpiryDate(error, integration.credential.expiresAt);
  }
}
