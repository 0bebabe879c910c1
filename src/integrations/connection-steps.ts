import { HubError } from '../errors.js';

/**
 * The steps a connection test reports and how one is timed, shared by the Endpoint test (connection-test.ts)
 * and the Cloud one (cloud-connection-test.ts), so both answer in the one shape the API and the UI show.
 */

/** What an Endpoint test reads besides the sign-in: one per import, named as the import toggles are. */
export const connectionFeatures = [
  'assets',
  'vulnerabilities',
  'alerts',
  'incidents',
  'software',
  'recommendations',
  'entraDevices',
] as const;
export type Feature = (typeof connectionFeatures)[number];

/** What a Cloud test reads after its ARM sign-in: the subscriptions it sees, then one read per subscription. */
export const cloudStepNames = ['subscriptions', 'securityReader'] as const;

export const connectionStepNames = ['token', ...connectionFeatures, ...cloudStepNames] as const;
export type ConnectionStepName = (typeof connectionStepNames)[number];

export interface ConnectionStep {
  name: ConnectionStepName;
  ok: boolean;
  /** The typed error's stable code, when the step failed. */
  code?: string;
  message?: string;
  ms: number;
}

/** Stable code of a probe that did not run because what it needs (a sign-in, a subscription) is missing. */
export const stepSkippedCode = 'TEST_STEP_SKIPPED';

export function skippedStep(name: ConnectionStepName, why: string): ConnectionStep {
  return { name, ok: false, code: stepSkippedCode, message: `Not tried: ${why}`, ms: 0 };
}

/** Runs one step, turning a thrown error into the step's code and message. */
export async function timed(name: ConnectionStepName, step: () => Promise<void>): Promise<ConnectionStep> {
  const started = performance.now();
  try {
    await step();
    return { name, ok: true, ms: Math.round(performance.now() - started) };
  } catch (error) {
    return {
      name,
      ok: false,
      code: error instanceof HubError ? error.code : 'CONNECTION_TEST_FAILED',
      message: error instanceof Error ? error.message : 'The step failed for an unknown reason.',
      ms: Math.round(performance.now() - started),
    };
  }
}
