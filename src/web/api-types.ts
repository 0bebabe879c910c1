/**
 * The API's answers as the server's own zod schemas declare them (type-only imports: nothing of the server is
 * bundled), so a change to an answer's shape fails the UI's type check instead of its users.
 */
import type { z } from 'zod';
import type { syncJobBody } from '../server/schemas/sync-job.js';
import type { actionBody, actionOutcomeBody } from '../server/schemas/action.js';
import type { alertSummaryBody, incidentSummaryBody } from '../server/schemas/activity.js';
import type {
  endpointDetailBody,
  endpointSummaryBody,
  findingBody,
  softwareBody,
} from '../server/schemas/endpoint.js';
import type {
  connectionTestBody,
  integrationBody,
  integrationStatusBody,
} from '../server/schemas/integration.js';
import type { patchBody, patchListItemBody } from '../server/schemas/patch.js';
import type { strategyBody, strategyCheckBody, strategyFieldBody } from '../server/schemas/strategy.js';
import type { syncRunBody } from '../server/schemas/sync-run.js';
import type { vulnerabilitySummaryBody } from '../server/schemas/vulnerability.js';
import type { huntingResultPageBody, savedHuntingQueryBody } from '../server/schemas/hunting.js';
import type { sessionBody } from '../server/schemas/access.js';
import type {
  cloudAssessmentBody,
  cloudFindingBody,
  cloudResourceBody,
  cloudSecureScoreBody,
  cloudSubscriptionBody,
} from '../server/schemas/cloud.js';
import type { entraDeviceBody } from '../server/schemas/entra-device.js';
import type { Role } from '../domain/roles.js';
import type { EntraFilterValue } from '../domain/entra-join.js';

export type Action = z.output<typeof actionBody>;
export type ActionOutcome = z.output<typeof actionOutcomeBody>;
export type Alert = z.output<typeof alertSummaryBody>;
export type Incident = z.output<typeof incidentSummaryBody>;
export type EndpointSummary = z.output<typeof endpointSummaryBody>;
export type EndpointDetail = z.output<typeof endpointDetailBody>;
export type Finding = z.output<typeof findingBody>;
export type Software = z.output<typeof softwareBody>;
export type Integration = z.output<typeof integrationBody>;
export type ConnectionTest = z.output<typeof connectionTestBody>;
export type IntegrationStatus = z.output<typeof integrationStatusBody>;
export type Patch = z.output<typeof patchBody>;
/** A patch as GET /patches lists it: with the cloud resources its CVEs expose. */
export type PatchListItem = z.output<typeof patchListItemBody>;
export type Strategy = z.output<typeof strategyBody>;
export type StrategyCheck = z.output<typeof strategyCheckBody>;
export type StrategyField = z.output<typeof strategyFieldBody>;
export type SyncRun = z.output<typeof syncRunBody>;
export type SyncJob = z.output<typeof syncJobBody>;
export type Vulnerability = z.output<typeof vulnerabilitySummaryBody>;
export type SavedHuntingQuery = z.output<typeof savedHuntingQueryBody>;
export type HuntingResultPage = z.output<typeof huntingResultPageBody>;
export type CloudSubscription = z.output<typeof cloudSubscriptionBody>;
export type CloudSecureScore = z.output<typeof cloudSecureScoreBody>;
export type CloudAssessment = z.output<typeof cloudAssessmentBody>;
export type CloudFinding = z.output<typeof cloudFindingBody>;
export type CloudResource = z.output<typeof cloudResourceBody>;
export type EntraDevice = z.output<typeof entraDeviceBody>;
export type Session = z.output<typeof sessionBody>;
export type { Role, EntraFilterValue };

/**
 * A list whose counts take in findings, or that lists endpoints (the server's `pageWithDevicesNotImported`): with
 * how many devices with vulnerabilities are not endpoints.
 */
export interface DevicesNotImportedPage<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
  devicesNotImported: number;
}
