/**
 * The store's door: what the layers above may use. Everything outside src/store imports from here only.
 */
export { AuditLogRepository } from './access/audit-log-repository.js';
export type { IntegrationsRepository } from './access/integrations-repository.js';
export { SealedSecretsRepository } from './access/sealed-secrets-repository.js';
export type { SealedValue } from './access/sealed-secrets-repository.js';
export type { HuntingQueriesRepository } from './activity/hunting-queries-repository.js';
export type { HuntingResultsRepository } from './activity/hunting-results-repository.js';
export type { MachineActionFilter } from './activity/machine-actions-repository.js';
export { cloudResourceSorts } from './cloud/cloud-queries.js';
export type { CloudList } from './cloud/cloud-repository.js';
export { organisationScope } from './dashboard/exposure-score-mapper.js';
export { flag, parseObjectArray, parseStoredJson, parseStringArray, slicePage } from './db/list-queries.js';
export type { Page, PageRequest } from './db/list-queries.js';
export { endpointFound, endpointNotFound } from './endpoints/endpoint-not-found.js';
export { endpointSorts } from './endpoints/endpoint-queries.js';
export type { EndpointCursor, EndpointFilter, EndpointSummary } from './endpoints/endpoint-queries.js';
export type { EndpointRiskRepository, EndpointRiskUpdate } from './endpoints/endpoint-risk-repository.js';
export type { EndpointIdentity } from './endpoints/endpoints-repository.js';
export type { ProfilesRepository } from './endpoints/profiles-repository.js';
export { defaultPatchSort, patchSorts } from './patches/patch-queries.js';
export type { StrategyMatch } from './patches/strategy-matches.js';
export type { Repositories } from './repositories.js';
export type { DatasetRuns } from './runs/sync-run-queries.js';
export type { CatalogLinksRepository } from './vulnerabilities/catalog-links-repository.js';
export { findingStatuses } from './vulnerabilities/finding-queries.js';
export type { Recommendation } from './vulnerabilities/recommendation-mapper.js';
export type { SoftwareProduct } from './vulnerabilities/software-mapper.js';
export { vulnerabilitySorts } from './vulnerabilities/vulnerability-queries.js';
export type { ActivityRepository } from './activity/activity-repository.js';
export type { FindingSoftwareCves } from './vulnerabilities/software-repository.js';
export { createStore, exportDatasets, type ExportDataset, type HubData } from './data.js';
export { mapped } from './db/keyset.js';
export type { ExportRecord, ExportValue } from './db/export-source.js';
export type { CarriedSyncJob, CarriedSyncJobs } from './runs/carried-sync-jobs.js';
export type { Endpoints } from './endpoints/endpoints.js';
export type { Patches } from './patches/patches.js';
export type { Strategies } from './patches/strategies.js';
export type { Alerts } from './activity/activity.js';
export type { SyncRuns } from './runs/sync-runs.js';
export { keysetRows } from './db/keyset.js';
export type { ActivityRecordOf, AlertRecord, IncidentRecord } from './activity/activity-records.js';
export type { MachineActionRecord, StoredMachineAction } from './activity/machine-action-mapper.js';
export type { SoftwareRecord } from './vulnerabilities/software-record.js';
export type { RecommendationRecord } from './vulnerabilities/recommendation-record.js';
export type { ExposureScoreRecord } from './dashboard/exposure-score-record.js';
export type { EntraDeviceRecord } from './endpoints/entra-device-record.js';
export type { EndpointRecord } from './endpoints/endpoint-record.js';
export { riskPageSize } from './endpoints/endpoint-risk-repository.js';
export type { StoredEndpointRisk } from './endpoints/endpoint-risk-repository.js';
export type { FindingRecord, FindingsWriter } from './vulnerabilities/findings-writer.js';
export type { FindingDeviceRecord } from './vulnerabilities/finding-devices-repository.js';
export type { PatchRecord } from './patches/patch-record.js';
export type { AuditFilter } from './access/audit-log-repository.js';
export type { AuditEntry, AuditOutcome } from './access/audit-entry-mapper.js';
export type { User } from './access/user-mapper.js';
export type { ApiToken } from './access/api-token-mapper.js';
export type { IntegrationChange, StoredIntegration } from './access/integration-mapper.js';
export type {
  CloudAssessmentRecord,
  CloudFindingRecord,
  CloudSecureScoreDayRecord,
  CloudSecureScoreRecord,
  CloudSubscriptionRecord,
} from './cloud/cloud-records.js';
export type { SyncRun, SyncRunEnd } from './runs/sync-run-mapper.js';
export type {
  HuntingQueryFields,
  HuntingResultColumn,
  HuntingRecord,
  SavedHuntingQuery,
  StoredHuntingResult,
} from './activity/hunting-mapper.js';
export type { Strategy } from './patches/strategy-mapper.js';
export type { Profile, ProfileAssignment, ProfiledEndpoint } from './endpoints/profile-mapper.js';
