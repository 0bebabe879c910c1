import type { CreateIntegrationInput } from '../integrations/integration-schema.js';

/** What an integration needs to know of a running simulator (the fields of its ready line, and its CA). */
export interface SimulatorEndpoints {
  readonly tenantId: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly apiBaseUrl: string;
  readonly authorityHost: string;
  readonly graphBaseUrl: string;
  readonly caPem: string;
  /** Azure Resource Manager (Defender for Cloud); a cloud integration reads it. */
  readonly armBaseUrl?: string;
}

/** The integration settings a user would enter for this simulator, trusting its CA. */
export function simulatorIntegrationSettings(
  sim: SimulatorEndpoints,
  name: string,
): CreateIntegrationInput & { name: string } {
  return {
    name,
    tenantId: sim.tenantId,
    clientId: sim.clientId,
    clientSecret: sim.clientSecret,
    apiBaseUrl: sim.apiBaseUrl,
    authorityHost: sim.authorityHost,
    graphBaseUrl: sim.graphBaseUrl,
    ...(sim.armBaseUrl === undefined ? {} : { armBaseUrl: sim.armBaseUrl }),
    caPem: sim.caPem,
  };
}
