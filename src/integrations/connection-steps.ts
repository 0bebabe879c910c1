import { HubError } from '../errors.js';
import type { Feature } from '../domain/permissions.js';

/**
 * The steps a connection test reports and how one is timed, shared by the Endpoint test (connection-test.ts)
 * and the Cloud one (cloud-connection-test.ts), so both answer in the one shape the API and the UI show.
 */

/** What an Endpoint test reads besides the sign-in: one step per import, named as the import toggles are. */
export const importSteps = [
  'assets',
  'vulnerabilities',
  'alerts',
  'incidents',
  'software',
  'recommendations',
  'entraDevices',
] as const;
export type ImportStep = (typeof importSteps)[number];

/** What a Cloud test reads after its ARM sign-in: the subscriptions it sees, then one read per subscription. */
export const cloudStepNames = ['subscriptions', 'securityReader'] as const;

export const connectionStepNames = ['token', ...importSteps, ...cloudStepNames] as const;
export type ConnectionStepName = (typeof connectionStepNames)[number];

export interface ConnectionStep {
  name: ConnectionStepName;
  /** False only for a failure: a step the app is not permitted to read is not one. */
  ok: boolean;
  /** The typed error's stable code, when the step failed or was not permitted. */
  code?: string;
  message?: string;
  ms: number;
  /** The features of the step the app's permissions do not serve: not read, and not a failure. */
  notPermitted: Feature[];
}

/** Stable code of a probe that did not run because what it needs (a sign-in, a subscription) is missing. */
export const stepSkippedCode = 'TEST_STEP_SKIPPED';

/** Stable code of a probe that did not run because no permission that serves it is granted. */
export const stepNotPermittedCode = 'TEST_STEP_NOT_PERMITTED';

export function skippedStep(name: ConnectionStepName, why: string): ConnectionStep {
  return { name, ok: false, code: stepSkippedCode, message: `Not tried: ${why}`, ms: 0, notPermitted: [] };
}

/** Runs one step, turning a thrown error into the step's code and message. */
export async function timed(name: ConnectionStepName, step: () => Promise<void>): Promise<ConnectionStep> {
  const started = performance.now();
  try {
    await step();
    return { name, ok: true, ms: Math.round(performance.now() - started), notPermitted: [] };
  } catch (error) {
    return {
      name,
      ok: false,
      code: error instanceof HubError ? error.code : 'CONNECTION_TEST_FAILED',
      message: error instanceof Error ? error.message : 'The step failed for an unknown reason.',
      ms: Math.round(performance.now() - started),
      notPermitted: [],
    };
  }
}
