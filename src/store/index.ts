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
export {
  alertSummaryColumns,
  getAlert,
  getIncident,
  listAlerts,
  listIncidents,
} from './activity/activity-queries.js';
export type {
  HuntingQueriesRepository,
  HuntingQueryFields,
  HuntingQueryRow,
} from './activity/hunting-queries-repository.js';
export type {
  HuntingResultColumn,
  HuntingResultsRepository,
  HuntingRow,
  StoredHuntingResult,
} from './activity/hunting-results-repository.js';
export type { MachineActionFilter, StoredMachineAction } from './activity/machine-actions-repository.js';
export { listCveCloudResources, withCloudExposure } from './cloud/cloud-cve-queries.js';
export { cloudResourceSorts } from './cloud/cloud-repository.js';
export type {
  CloudAssessmentRow,
  CloudFindingRow,
  CloudList,
  CloudSecureScoreDayRow,
  CloudSecureScoreRow,
  CloudSubscriptionRow,
} from './cloud/cloud-repository.js';
export { dashboardCounts } from './dashboard/dashboard-queries.js';
export { organisationScope } from './dashboard/exposure-scores-repository.js';
export type { ExposureScoreRow } from './dashboard/exposure-scores-repository.js';
export type {
  CloudAssessmentsTable,
  CloudFindingsTable,
  CloudSecureScoreDaysTable,
  CloudSecureScoresTable,
  CloudStatus,
} from './db/cloud-schema.js';
export { migrateToLatest, openStore } from './db/database.js';
export type { Store } from './db/database.js';
export {
  flag,
  namesCve,
  parseObjectArray,
  parseStoredJson,
  parseStringArray,
  slicePage,
} from './db/list-queries.js';
export type { Page, PageRequest } from './db/list-queries.js';
export type {
  AuditLogTable,
  CatalogLinkKind,
  Database,
  EntraDevicesTable,
  ExposureScoresTable,
  IntegrationRow,
  NewEndpointRow,
  NewFindingRow,
  NewMachineActionRow,
  RecommendationsTable,
  SoftwareTable,
  SyncJobRow,
  SyncRunRow,
} from './db/schema.js';
export { endpointFound, endpointNotFound } from './endpoints/endpoint-not-found.js';
export {
  endpointKey,
  endpointSorts,
  getEndpoint,
  listEndpoints,
  listEndpointsAfter,
} from './endpoints/endpoint-queries.js';
export type { EndpointCursor, EndpointFilter, EndpointSummary } from './endpoints/endpoint-queries.js';
export { riskPageRows } from './endpoints/endpoint-risk-repository.js';
export type {
  EndpointRiskRepository,
  EndpointRiskRow,
  EndpointRiskUpdate,
} from './endpoints/endpoint-risk-repository.js';
export type { EndpointIdentity } from './endpoints/endpoints-repository.js';
export { entraFilterValues, entraJoinTypes, listEntraDevices } from './endpoints/entra-device-queries.js';
export type { EntraFilterValue } from './endpoints/entra-device-queries.js';
export type {
  ProfileAssignment,
  ProfileRow,
  ProfiledEndpoint,
  ProfilesRepository,
} from './endpoints/profiles-repository.js';
export { defaultPatchSort, listPatches, patchSorts } from './patches/patch-queries.js';
export type { NewPatchRow } from './patches/patches-repository.js';
export type { StrategiesRepository, StrategyRow } from './patches/strategies-repository.js';
export { countStrategyMatches, strategyMatches } from './patches/strategy-matches.js';
export type { StrategyMatch } from './patches/strategy-matches.js';
export { createRepositories } from './repositories.js';
export type { Repositories } from './repositories.js';
export {
  getSyncRun,
  latestDatasetRuns,
  listSyncRuns,
  syncRunStatuses,
  toSyncRun,
} from './runs/sync-run-queries.js';
export type { DatasetRuns, SyncRun, SyncRunStatus } from './runs/sync-run-queries.js';
export type { CatalogLinksRepository } from './vulnerabilities/catalog-links-repository.js';
export { findingStatuses, listEndpointFindings } from './vulnerabilities/finding-queries.js';
export type { RecommendationRow } from './vulnerabilities/recommendations-repository.js';
export { listPastSla, meanTimeToRemediate, pastSlaCounts } from './vulnerabilities/remediation-queries.js';
export { listEndpointSoftware } from './vulnerabilities/software-queries.js';
export type { SoftwareRow } from './vulnerabilities/software-repository.js';
export {
  getVulnerability,
  listVulnerabilities,
  vulnerabilitySorts,
} from './vulnerabilities/vulnerability-queries.js';
export { countDevicesNotImported } from './vulnerabilities/finding-devices-repository.js';
export type { ActivityRepository, ActivityRow } from './activity/activity-repository.js';
export type { FindingSoftwareCves } from './vulnerabilities/software-repository.js';
export type { NewFindingDeviceRow } from './db/schema.js';
