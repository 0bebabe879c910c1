import type { Store } from './db/database.js';
import { IntegrationsRepository } from './access/integrations-repository.js';
import { FindingsRepository } from './vulnerabilities/findings-repository.js';
import { FindingDevicesRepository } from './vulnerabilities/finding-devices-repository.js';
import { CursorsRepository } from './runs/cursors-repository.js';
import { EndpointRiskRepository } from './endpoints/endpoint-risk-repository.js';
import { ProfilesRepository } from './endpoints/profiles-repository.js';
import { SnapshotsRepository } from './dashboard/snapshots-repository.js';
import { MachineActionsRepository } from './activity/machine-actions-repository.js';
import { MaintenanceRepository } from './runs/maintenance-repository.js';
import { Software } from './vulnerabilities/software.js';
import { HuntingQueriesRepository } from './activity/hunting-queries-repository.js';
import { HuntingResultsRepository } from './activity/hunting-results-repository.js';
import { Recommendations } from './vulnerabilities/recommendations.js';
import { ExposureScores } from './dashboard/exposure-scores.js';
import { UsersRepository } from './access/users-repository.js';
import { SessionsRepository } from './access/sessions-repository.js';
import { ApiTokensRepository } from './access/api-tokens-repository.js';
import { AuditLogRepository } from './access/audit-log-repository.js';
import { SealedSecretsRepository } from './access/sealed-secrets-repository.js';
import { Cloud } from './cloud/cloud.js';
import { Endpoints } from './endpoints/endpoints.js';
import { EntraDevices } from './endpoints/entra-devices.js';
import { Vulnerabilities } from './vulnerabilities/vulnerabilities.js';
import { Patches } from './patches/patches.js';
import { Strategies } from './patches/strategies.js';
import { Alerts, Incidents } from './activity/activity.js';
import { SyncRuns } from './runs/sync-runs.js';
import { ApiCallLedger } from './budget/api-call-ledger.js';

/** Every feature's repository over one database, reads bound in beside the writes where the feature has them. */
export interface Repositories {
  readonly integrations: IntegrationsRepository;
  readonly endpoints: Endpoints;
  readonly endpointRisk: EndpointRiskRepository;
  readonly profiles: ProfilesRepository;
  readonly patches: Patches;
  readonly strategies: Strategies;
  readonly snapshots: SnapshotsRepository;
  readonly findings: FindingsRepository;
  readonly findingDevices: FindingDevicesRepository;
  readonly syncRuns: SyncRuns;
  readonly cursors: CursorsRepository;
  readonly vulnerabilities: Vulnerabilities;
  readonly alerts: Alerts;
  readonly incidents: Incidents;
  readonly machineActions: MachineActionsRepository;
  readonly maintenance: MaintenanceRepository;
  readonly software: Software;
  readonly huntingQueries: HuntingQueriesRepository;
  readonly huntingResults: HuntingResultsRepository;
  readonly recommendations: Recommendations;
  readonly exposureScores: ExposureScores;
  readonly users: UsersRepository;
  readonly sessions: SessionsRepository;
  readonly apiTokens: ApiTokensRepository;
  readonly auditLog: AuditLogRepository;
  readonly sealedSecrets: SealedSecretsRepository;
  readonly cloud: Cloud;
  readonly entraDevices: EntraDevices;
  /** The API budgets every process shares: PostgreSQL only (SQLite keeps them in its one process). */
  readonly apiCalls: ApiCallLedger | undefined;
}

export function createRepositories(store: Pick<Store, 'db' | 'bulk' | 'dialect'>): Repositories {
  const cursors = new CursorsRepository(store);
  return {
    integrations: new IntegrationsRepository(store),
    endpoints: new Endpoints(store, store.bulk),
    endpointRisk: new EndpointRiskRepository(store),
    profiles: new ProfilesRepository(store),
    patches: new Patches(store),
    strategies: new Strategies(store),
    snapshots: new SnapshotsRepository(store),
    findings: new FindingsRepository(store, store.bulk),
    findingDevices: new FindingDevicesRepository(store),
    syncRuns: new SyncRuns(store),
    cursors,
    vulnerabilities: new Vulnerabilities(store),
    alerts: new Alerts(store, cursors),
    incidents: new Incidents(store, cursors),
    machineActions: new MachineActionsRepository(store),
    maintenance: new MaintenanceRepository(store),
    software: new Software(store, store.bulk),
    huntingQueries: new HuntingQueriesRepository(store),
    huntingResults: new HuntingResultsRepository(store),
    recommendations: new Recommendations(store, store.bulk),
    exposureScores: new ExposureScores(store),
    users: new UsersRepository(store),
    sessions: new SessionsRepository(store),
    apiTokens: new ApiTokensRepository(store),
    auditLog: new AuditLogRepository(store),
    sealedSecrets: new SealedSecretsRepository(store),
    cloud: new Cloud(store),
    entraDevices: new EntraDevices(store),
    apiCalls: store.dialect === 'postgres' ? new ApiCallLedger(store) : undefined,
  };
}
