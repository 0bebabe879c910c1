import type { Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { ActivitySource } from '../../domain/activity-vocabulary.js';
import type { Role } from '../../domain/roles.js';
import type { CatalogLinkKind } from '../../domain/catalog-links.js';
import type { CloudTables } from './cloud-schema.js';
import type { ApiBudgetTables } from './api-budget-schema.js';

/**
 * Column conventions, the same on SQLite and PostgreSQL so one query serves both: ids are text, booleans are
 * integers (0/1), times are ISO-8601 UTC text (sortable) with Defender's raw string kept beside where precision
 * matters, structured values are JSON text.
 */
export interface IntegrationsTable {
  id: string;
  name: string;
  product: 'endpoint' | 'cloud';
  tenant_id: string;
  client_id: string;
  credential_type: 'secret' | 'certificate';
  /** AES-256-GCM envelope of the secret or certificate PEM, bound to this row's id. Never plaintext. */
  credential_ciphertext: string;
  credential_set_at: string;
  api_base_url: string;
  authority_host: string | null;
  graph_base_url: string | null;
  ca_pem: string | null;
  enabled: number;
  /** JSON: { assets, vulnerabilities, alerts, incidents } booleans. */
  imports: string;
  /** JSON: per-dataset interval in minutes. */
  schedules: string;
  /** JSON: asset filters. */
  filters: string;
  /** JSON ProtectedDevices: devices never isolated through the hub. */
  protected_devices: Generated<string>;
  /** When the credential in use expires, as the app registration says (Graph); null until read. */
  credential_expires_at: string | null;
  /** When the hub last looked at the credential's health (a Graph read or a sign-in refused as expired). */
  credential_checked_at: string | null;
  /** What that look found: a CredentialCheckOutcome (integrations/credential-health.ts). */
  credential_check: string | null;
  /** Azure Resource Manager host (product cloud); null: the cloud's default. */
  arm_base_url: string | null;
  /** JSON list of the subscription ids a cloud integration reads; [] = all it can read. */
  subscriptions: Generated<string>;
  created_at: string;
  updated_at: string;
}

export interface EndpointsTable {
  id: Generated<number>;
  integration_id: string;
  machine_id: string;
  computer_dns_name: string | null;
  os_platform: string | null;
  os_version: string | null;
  os_build: number | null;
  version: string | null;
  health_status: string | null;
  onboarding_status: string | null;
  risk_score: string | null;
  exposure_level: string | null;
  device_value: string | null;
  rbac_group_id: string | null;
  rbac_group_name: string | null;
  aad_device_id: string | null;
  last_ip_address: string | null;
  last_external_ip_address: string | null;
  /** JSON string[] */
  machine_tags: string;
  /** JSON array of Defender's ipAddresses objects */
  ip_addresses: string;
  first_seen_raw: string | null;
  last_seen_raw: string | null;
  last_seen_at: string | null;
  /** The whole Defender record as received (unknown members included). */
  raw: string;
  stale: number;
  stale_since: string | null;
  last_run_id: number | null;
  created_at: string;
  updated_at: string;
  /** The hub's risk level (None … Critical): the highest of the parts below and Defender's two ratings. */
  risk_level: Generated<string>;
  /** `risk_level` as 0 (None) … 4 (Critical), for sorting and filtering. */
  risk_rank: Generated<number>;
  /** From the endpoint's open findings, computed by each complete findings run. */
  exposure_risk: Generated<string>;
  /** From the endpoint's most severe active alert, computed when its alerts change. */
  alert_risk: Generated<string>;
}

export interface VulnerabilitiesTable {
  integration_id: string;
  cve_id: string;
  name: string | null;
  description: string | null;
  severity: string | null;
  cvss_v3: number | null;
  public_exploit: number;
  exploit_verified: number;
  exploit_in_kit: number;
  epss: number | null;
  /** 1 when the CVSS vector says `AV:N` (reachable over the network), 0 for another attack vector, null unknown. */
  network_accessible: number | null;
  published_on: string | null;
  updated_on: string | null;
  raw: string;
  updated_at: string;
}

export interface FindingsTable {
  id: Generated<number>;
  integration_id: string;
  /** Defender's record id (device × software × version × CVE). */
  finding_key: string;
  machine_id: string;
  cve_id: string | null;
  software_vendor: string | null;
  software_name: string | null;
  software_version: string | null;
  severity: string | null;
  cvss_score: number | null;
  exploitability_level: string | null;
  fixing_update: string | null;
  fixing_update_id: string | null;
  fixing_update_url: string | null;
  update_available: number | null;
  first_seen_raw: string | null;
  first_seen_at: string | null;
  last_seen_raw: string | null;
  last_seen_at: string | null;
  status: 'open' | 'resolved';
  resolved_at: string | null;
  last_run_id: number | null;
  raw: string;
  updated_at: string;
  /** The fixing update's key (domain `patchKey`); null when the finding names no fix. */
  patch_key: string | null;
  /**
   * 1 when the device was an endpoint of the integration as the run that wrote the row saw it, 0 when it was not
   * (filtered out, or its machine record unread): its finding counts in patches and CVE exposure all the same.
   */
  imported: Generated<number>;
}

/**
 * A device with open vulnerability findings that is not an endpoint of the integration, as the findings export
 * describes it (the export row carries the device's name, platform and group): for display, and to count such
 * devices without reading findings. Kept in step with the findings' `imported` flag by each findings run.
 */
export interface FindingDevicesTable {
  integration_id: string;
  /** Defender's device id. */
  machine_id: string;
  device_name: string | null;
  os_platform: string | null;
  os_version: string | null;
  rbac_group_name: string | null;
  /** The findings run that last saw it. */
  last_run_id: number;
  updated_at: string;
}

/** A distinct fixing update of an integration, aggregated over its open findings after each findings run. */
export interface PatchesTable {
  integration_id: string;
  patch_key: string;
  /** The update's title: the KB (`KB5034441`) or the recommended update text. */
  name: string;
  fixing_update_id: string | null;
  fixing_update_url: string | null;
  software_vendor: string | null;
  software_name: string | null;
  /** Defender.SeverityLevel: the highest among its findings (Low … Critical), null when none is known. */
  severity: string | null;
  /** 0 Low … 3 Critical, -1 unknown. */
  severity_rank: number;
  /** Defender.ExploitabilityLevel: the highest among its findings. */
  exploitability_level: string | null;
  /** 0 NoExploit … 3 ExploitIsInKit, -1 unknown. */
  exploitability_rank: number;
  /** Defender.KnownExploitExists (0/1). */
  known_exploit: number;
  /** Defender.SecurityUpdateAvailable (0/1): any finding says an update is available. */
  update_available: number;
  /**
   * Defender.NetworkAccessible (0/1): a CVE it fixes is reachable over the network, as the CVE catalog says.
   * Recounted from the catalog whenever the patches or the catalog change (`PatchesRepository`).
   */
  network_accessible: number;
  max_cvss: number | null;
  /** JSON string[] */
  cves: string;
  cve_count: number;
  /** Devices with an open finding it fixes, endpoints or not. */
  endpoint_count: number;
  /** Of those, the devices that are not endpoints (not in `endpoint_ids`). */
  devices_not_imported: number;
  open_findings: number;
  /** JSON string[] */
  software_versions: string;
  /** JSON number[]: the endpoints (hub ids, ascending) with an open finding it fixes; devices not imported have none. */
  endpoint_ids: string;
  updated_at: string;
}

export interface PatchStrategiesTable {
  id: Generated<number>;
  name: string;
  description: string | null;
  /** Canonical text of the filter expression. */
  expression: string;
  created_at: string;
  updated_at: string;
}

/** One integration's counts on one UTC day, taken after its syncs (the last of the day wins). */
export interface DailySnapshotsTable {
  integration_id: string;
  day: string;
  endpoints_by_risk: string;
  findings_by_severity: string;
  patches_by_severity: string;
  taken_at: string;
}

/** Open findings per integration × CVE, counted after each findings run (a CVE in two products of one machine exposes one endpoint). */
export interface VulnerabilityExposureTable {
  integration_id: string;
  cve_id: string;
  /** Devices with the CVE open, endpoints or not. */
  exposed_endpoints: number;
  /** Of those, the devices that are not endpoints (0 until the recount sets it from `finding_devices`). */
  devices_not_imported: Generated<number>;
  open_findings: number;
}

export interface AlertsTable {
  integration_id: string;
  alert_id: string;
  incident_id: string | null;
  title: string | null;
  severity: string | null;
  status: string | null;
  category: string | null;
  service_source: string | null;
  detection_source: string | null;
  machine_ids: string;
  created_at_raw: string | null;
  last_update_raw: string;
  last_update_at: string;
  raw: string;
  updated_at: string;
  /** The API it was read from. */
  source: ActivitySource;
}

/** Which machines an alert's evidence names (one row per alert × machine). */
export interface AlertMachinesTable {
  integration_id: string;
  alert_id: string;
  machine_id: string;
}

export interface ProfilesTable {
  id: Generated<number>;
  /** The integration whose OS data created it; null for the hub's own rule profiles. */
  integration_id: string | null;
  name: string;
  kind: 'os' | 'osVersion' | 'rule';
  /** JSON ProfileRule, for rule profiles. */
  rule: string | null;
  match_score: number;
  created_at: string;
}

export interface EndpointProfilesTable {
  endpoint_id: number;
  profile_id: number;
  match_score: number;
}

export interface IncidentsTable {
  integration_id: string;
  incident_id: string;
  display_name: string | null;
  severity: string | null;
  status: string | null;
  classification: string | null;
  determination: string | null;
  created_at_raw: string | null;
  last_update_raw: string;
  last_update_at: string;
  raw: string;
  updated_at: string;
  /** The API it was read from. */
  source: ActivitySource;
}

export interface SyncRunsTable {
  id: Generated<number>;
  integration_id: string;
  dataset: string;
  status: 'running' | 'succeeded' | 'notPermitted' | 'failed' | 'cancelled';
  started_at: string;
  finished_at: string | null;
  api_calls: Generated<number>;
  pages: Generated<number>;
  records_in: Generated<number>;
  upserted: Generated<number>;
  skipped: Generated<number>;
  /** JSON: { reason: count } */
  skipped_reasons: string;
  removed: Generated<number>;
  complete: Generated<number>;
  /** Why the run is or is not complete, in words. */
  completeness: string | null;
  error_code: string | null;
  error_message: string | null;
  /** `host:pid` of the process running it; null for runs from before the column. */
  runner: string | null;
  /** JSON list of the features not read for want of a permission (domain/permissions.ts); null: none. */
  not_permitted: string | null;
  stages: string | null;
}

export interface SyncCursorsTable {
  integration_id: string;
  dataset: string;
  /** Raw Defender timestamp of the newest record stored. */
  cursor: string;
  updated_at: string;
}

/** PostgreSQL: sync jobs of the queue before pg-boss, until the job engine queues them again (migration 0025). */
export interface CarriedSyncJobsTable {
  integration_id: string;
  dataset: string;
  /** JSON: { full?, force? } */
  options: string;
}

export interface MachineActionsTable {
  integration_id: string;
  action_id: string;
  machine_id: string;
  /** Defender's type: RunAntiVirusScan, Isolate, Unisolate, CollectInvestigationPackage, … */
  type: string;
  /** Quick/Full for scans, Full/Selective for isolation. */
  scope: string | null;
  /** Pending, InProgress, Succeeded, Failed, Cancelled, TimeOut. */
  status: string;
  requestor: string | null;
  requestor_comment: string | null;
  /** Who asked through the hub; null for actions made elsewhere. */
  requested_by: string | null;
  computer_dns_name: string | null;
  created_raw: string;
  created_at: string;
  last_update_raw: string | null;
  last_update_at: string | null;
  /** The MachineAction record as received. */
  raw: string;
  updated_at: string;
}

export interface SoftwareTable {
  integration_id: string;
  /** Defender's id, `vendor-_-name`. */
  software_id: string;
  name: string | null;
  vendor: string | null;
  weaknesses: number | null;
  public_exploit: number | null;
  active_alert: number | null;
  exposed_machines: number | null;
  installed_machines: number | null;
  impact_score: number | null;
  end_of_support_status: string | null;
  end_of_support_date: string | null;
  raw: string;
  /** The sync run that last saw it: a complete run removes what it did not see. */
  run_id: number;
  updated_at: string;
}

/**
 * The CVEs each software product has open on some machine, as the latest complete findings run read them from the
 * vulnerability export (every row, the devices not imported as endpoints included): the software run's CVE lists.
 */
export interface FindingSoftwareCvesTable {
  integration_id: string;
  /** The software id, `vendor-_-name`, lower case. */
  software_key: string;
  cve_id: string;
  /** The findings run that tallied it: the whole set is replaced by each complete run. */
  run_id: number;
}

/** An Entra ID device (Microsoft Graph `device`), joined to endpoints by `device_id` = `aad_device_id`. */
export interface EntraDevicesTable {
  integration_id: string;
  /** The directory object id (Graph's `id`). */
  object_id: string;
  /** The device GUID (Graph's `deviceId`), Defender's `aadDeviceId`. */
  device_id: string;
  display_name: string | null;
  operating_system: string | null;
  operating_system_version: string | null;
  /** `AzureAd` (joined), `Workplace` (registered), `ServerAd` (hybrid joined). */
  trust_type: string | null;
  is_compliant: number | null;
  is_managed: number | null;
  last_sign_in_at: string | null;
  account_enabled: number | null;
  registration_at: string | null;
  raw: string;
  /** The sync run that last saw it: a complete run deletes what it did not see. */
  run_id: number;
  first_synced_at: string;
  last_synced_at: string;
}

export type Catalog = 'software' | 'recommendation';

/**
 * The machines a software product is installed on or a recommendation is about, and the CVEs of a product.
 */
export interface CatalogLinksTable {
  integration_id: string;
  catalog: Catalog;
  kind: CatalogLinkKind;
  /** The product's or recommendation's Defender id. */
  item_id: string;
  /** A machine id or a CVE id, by `kind`. */
  target_id: string;
  /** The sync run that last saw the link: the item's links of earlier runs are pruned once it is read whole. */
  run_id: number;
}

export interface RecommendationsTable {
  integration_id: string;
  /** Defender's id: `va-_-vendor-_-product` for software, its own for configuration recommendations. */
  recommendation_id: string;
  name: string | null;
  product_name: string | null;
  vendor: string | null;
  /** Application, OS, Network, Accounts, Security controls. */
  category: string | null;
  /** Update, Upgrade, Uninstall, ConfigurationChange. */
  remediation_type: string | null;
  /** Active, Exception. */
  status: string | null;
  recommended_version: string | null;
  severity_score: number | null;
  weaknesses: number | null;
  public_exploit: number | null;
  active_alert: number | null;
  /** What acting on it would take off the exposure score. */
  exposure_impact: number | null;
  config_score_impact: number | null;
  total_machines: number | null;
  exposed_machines: number | null;
  exposed_critical_devices: number | null;
  raw: string;
  run_id: number;
  updated_at: string;
}

/** Exposure score readings (0–100, lower is better): the organisation's and each device group's. */
export interface ExposureScoresTable {
  integration_id: string;
  /** '' for the organisation, else the device group's id. */
  scope: string;
  rbac_group_name: string | null;
  score: number;
  /** Defender's `time` as received. */
  time_raw: string;
  time_at: string;
}

/** A saved advanced hunting query: KQL with a unique name, run against any integration. */
export interface HuntingQueriesTable {
  id: Generated<number>;
  name: string;
  query: string;
  /** ISO 8601 timespan for Graph (`P7D`, `start/end`); null for the service's default (30 days). */
  timespan: string | null;
  description: string | null;
  created_at: string;
  updated_at: string;
}

/** One hunting run made through the API, kept (with its rows) for 24 hours so it can be paged and exported. */
export interface HuntingResultsTable {
  id: Generated<number>;
  integration_id: string;
  saved_query_id: number | null;
  query: string;
  timespan: string | null;
  /** `graph`, or `mde` when the retiring MDE API answered. */
  source: string;
  /** JSON [{name, type}], the service's columns in order. */
  columns: string;
  row_count: number;
  created_at: string;
}

export interface HuntingResultRowsTable {
  result_id: number;
  /** 0-based, dense, in the service's order. */
  position: number;
  /** JSON object: the row as the service answered it. */
  data: string;
}

export type { Role };

export interface UsersTable {
  id: Generated<number>;
  username: string;
  role: Role;
  /** `scrypt$N$r$p$salt$hash` (see auth/passwords.ts). */
  password_hash: string;
  password_set_at: string;
  /** Failed sign-ins since the last good one: the account locks at the limit. */
  failed_logins: Generated<number>;
  locked_until: string | null;
  last_login_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface SessionsTable {
  /** SHA-256 (hex) of the cookie's value. */
  token_hash: string;
  user_id: number;
  created_at: string;
  last_seen_at: string;
  /** The absolute expiry; the idle one is counted from `last_seen_at`. */
  expires_at: string;
  address: string | null;
}

export interface ApiTokensTable {
  id: Generated<number>;
  /** SHA-256 (hex) of the token: it is shown once, when created. */
  token_hash: string;
  user_id: number;
  name: string;
  /** No higher than its creator's role when created, and capped by it on every use. */
  role: Role;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: string;
  actor: string | null;
  actor_kind: 'session' | 'token' | 'cli' | 'anonymous';
  address: string | null;
  action: string;
  target: string | null;
  outcome: 'success' | 'failure' | 'refused';
  status: number | null;
  /** JSON with every secret masked. */
  details: string;
}

export interface Database extends CloudTables, ApiBudgetTables {
  integrations: IntegrationsTable;
  endpoints: EndpointsTable;
  vulnerabilities: VulnerabilitiesTable;
  findings: FindingsTable;
  finding_devices: FindingDevicesTable;
  vulnerability_exposure: VulnerabilityExposureTable;
  alerts: AlertsTable;
  alert_machines: AlertMachinesTable;
  incidents: IncidentsTable;
  profiles: ProfilesTable;
  endpoint_profiles: EndpointProfilesTable;
  patches: PatchesTable;
  patch_strategies: PatchStrategiesTable;
  daily_snapshots: DailySnapshotsTable;
  machine_actions: MachineActionsTable;
  software: SoftwareTable;
  catalog_links: CatalogLinksTable;
  finding_software_cves: FindingSoftwareCvesTable;
  recommendations: RecommendationsTable;
  exposure_scores: ExposureScoresTable;
  entra_devices: EntraDevicesTable;
  users: UsersTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  audit_log: AuditLogTable;
  sync_runs: SyncRunsTable;
  sync_cursors: SyncCursorsTable;
  carried_sync_jobs: CarriedSyncJobsTable;
  hunting_queries: HuntingQueriesTable;
  hunting_results: HuntingResultsTable;
  hunting_result_rows: HuntingResultRowsTable;
}

export type IntegrationRow = Selectable<IntegrationsTable>;
export type NewIntegrationRow = Insertable<IntegrationsTable>;
export type IntegrationUpdate = Updateable<IntegrationsTable>;
export type EndpointRow = Selectable<EndpointsTable>;
export type NewEndpointRow = Insertable<EndpointsTable>;
export type FindingRow = Selectable<FindingsTable>;
export type NewFindingRow = Insertable<FindingsTable>;
export type NewFindingDeviceRow = Insertable<FindingDevicesTable>;
export type VulnerabilityRow = Selectable<VulnerabilitiesTable>;
export type AlertRow = Selectable<AlertsTable>;
export type IncidentRow = Selectable<IncidentsTable>;
export type SyncRunRow = Selectable<SyncRunsTable>;
export type MachineActionRow = Selectable<MachineActionsTable>;
export type NewMachineActionRow = Insertable<MachineActionsTable>;
