/**
 * The store's door: what the layers above may use. Everything outside src/store imports from here only.
 */
export type { ApiTokenRow } from './access/api-tokens-repository.js';
export { AuditLogRepository } from './access/audit-log-repository.js';
export type { AuditEntryRow, AuditFilter } from './access/audit-log-repository.js';
export type { IntegrationsRepository } from './access/integrations-repository.js';
export { SealedSecretsRepository } from './access/sealed-secrets-repository.js';
export type { SealedValue } from './access/sealed-secrets-repository.js';
export type { UserRow } from './access/users-repository.js';
export type { HuntingQueriesRepository } from './activity/hunting-queries-repository.js';
export type { HuntingResultsRepository } from './activity/hunting-results-repository.js';
export type { MachineActionFilter, StoredMachineAction } from './activity/machine-actions-repository.js';
export { cloudResourceSorts } from './cloud/cloud-repository.js';
export type {
  CloudAssessmentRow,
  CloudFindingRow,
  CloudList,
  CloudSecureScoreDayRow,
  CloudSecureScoreRow,
  CloudSubscriptionRow,
} from './cloud/cloud-repository.js';
export { organisationScope } from './dashboard/exposure-scores-repository.js';
export type { ExposureScoreRow } from './dashboard/exposure-scores-repository.js';
export type {
  CloudAssessmentsTable,
  CloudFindingsTable,
  CloudSecureScoreDaysTable,
  CloudSecureScoresTable,
  CloudStatus,
} from './db/cloud-schema.js';
export { flag, parseObjectArray, parseStoredJson, parseStringArray, slicePage } from './db/list-queries.js';
export type { Page, PageRequest } from './db/list-queries.js';
export type {
  AuditLogTable,
  CatalogLinkKind,
  EntraDevicesTable,
  ExposureScoresTable,
  IntegrationRow,
  NewEndpointRow,
  NewFindingRow,
  NewMachineActionRow,
  RecommendationsTable,
  SoftwareTable,
} from './db/schema.js';
export { endpointFound, endpointNotFound } from './endpoints/endpoint-not-found.js';
export { endpointSorts } from './endpoints/endpoint-queries.js';
export type { EndpointCursor, EndpointFilter, EndpointSummary } from './endpoints/endpoint-queries.js';
export { riskPageRows } from './endpoints/endpoint-risk-repository.js';
export type {
  EndpointRiskRepository,
  EndpointRiskRow,
  EndpointRiskUpdate,
} from './endpoints/endpoint-risk-repository.js';
export type { EndpointIdentity } from './endpoints/endpoints-repository.js';
export type { ProfilesRepository } from './endpoints/profiles-repository.js';
export { defaultPatchSort, patchSorts } from './patches/patch-queries.js';
export type { NewPatchRow } from './patches/patches-repository.js';
export type { StrategyMatch } from './patches/strategy-matches.js';
export type { Repositories } from './repositories.js';
export type { DatasetRuns } from './runs/sync-run-queries.js';
export type { CatalogLinksRepository } from './vulnerabilities/catalog-links-repository.js';
export { findingStatuses } from './vulnerabilities/finding-queries.js';
export type { RecommendationRow } from './vulnerabilities/recommendations-repository.js';
export type { SoftwareRow } from './vulnerabilities/software-repository.js';
export { vulnerabilitySorts } from './vulnerabilities/vulnerability-queries.js';
export type { ActivityRepository, ActivityRow } from './activity/activity-repository.js';
export type { FindingSoftwareCves } from './vulnerabilities/software-repository.js';
export type { NewFindingDeviceRow } from './db/schema.js';
export { createStore, exportDatasets, type ExportDataset, type HubData } from './data.js';
export { mapped } from './db/keyset.js';
export type { ExportRecord, ExportValue } from './db/export-source.js';
export type { SyncJob, SyncJobQueue } from './runs/sync-job-queue.js';
export type { Endpoints } from './endpoints/endpoints.js';
export type { Patches } from './patches/patches.js';
export type { Strategies } from './patches/strategies.js';
export type { Alerts } from './activity/activity.js';
export type { SyncRuns } from './runs/sync-runs.js';
export { keysetRows } from './db/keyset.js';
export type {
  NewEntraDeviceRow,
  NewExposureScoreRow,
  NewRecommendationRow,
  NewSoftwareRow,
} from './db/schema.js';
export type {
  NewCloudAssessmentRow,
  NewCloudFindingRow,
  NewCloudSecureScoreDayRow,
  NewCloudSecureScoreRow,
} from './db/cloud-schema.js';
export type { SyncRun, SyncRunEnd } from './runs/sync-run-mapper.js';
export type {
  HuntingQueryFields,
  HuntingResultColumn,
  HuntingRow,
  SavedHuntingQuery,
  StoredHuntingResult,
} from './activity/hunting-mapper.js';
export type { Strategy } from './patches/strategy-mapper.js';
export type { Profile, ProfileAssignment, ProfiledEndpoint } from './endpoints/profile-mapper.js';
