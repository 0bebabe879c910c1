export {
  DefenderClient,
  createDefenderClient,
  type ClockProbe,
  type DefenderClientOptions,
} from './client.js';
export {
  resolveDefenderConfig,
  type DefenderClientConfigInput,
  type ResolvedDefenderConfig,
} from './config.js';
export * from './errors.js';
export { RateGovernor, apiClassLimits, type ApiBudget, type ApiClass } from './rate-governor.js';
export { ApiBudgets } from './api-budgets.js';
export { RetryPolicy, parseRetryAfter } from './retry-policy.js';
export type { Batch } from './paging.js';
export type { RecordResult, RejectedRecord } from './schemas/record.js';
export type { DefenderTimestamp } from './schemas/timestamp.js';
export type { Machine } from './schemas/machine.js';
export type { Vulnerability } from './schemas/vulnerability.js';
export type { Finding } from './schemas/finding.js';
export type { GraphAlert, MdeAlert } from './schemas/alert.js';
export type { Incident } from './schemas/incident.js';
export type { XdrIncident } from './schemas/xdr-incident.js';
export { apiNames } from './api-http.js';
export type { Audience } from './token-provider.js';
export type { MachineAction } from './schemas/machine-action.js';
export type { MachineReference, Software, SoftwareDistribution } from './schemas/software.js';
export type { ExposureScore, Recommendation } from './schemas/recommendation.js';
export {
  FINAL_ACTION_STATUSES,
  isFinalAction,
  type ActionOptions,
  type IsolationType,
  type ResponseActionType,
  type ScanType,
  type WaitOptions,
} from './resources/response-actions.js';
export type { HuntingColumn, HuntingResult, HuntingRunOptions } from './resources/hunting.js';
export type { Application } from './schemas/application.js';
export type {
  ArmSubscription,
  Assessment,
  SecureScore,
  SecureScoreControl,
  SubAssessment,
} from './schemas/defender-for-cloud.js';
export { cveIds } from './schemas/defender-for-cloud.js';
export { ARM_API_VERSIONS, type ArmListOptions } from './resources/defender-for-cloud.js';
export type { EntraDevice } from './schemas/device.js';
export { DEVICE_READ_ROLE, type ListDevicesOptions } from './resources/devices.js';
export {
  APPLICATION_READ_ROLE,
  type CredentialInUse,
  type CredentialLookup,
} from './resources/applications.js';
