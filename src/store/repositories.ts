import type { Kysely } from 'kysely';
import type { Database } from './db/schema.js';
import type { Dialect, Store } from './db/database.js';
import { IntegrationsRepository } from './access/integrations-repository.js';
import { EndpointsRepository } from './endpoints/endpoints-repository.js';
import { FindingsRepository } from './vulnerabilities/findings-repository.js';
import { FindingDevicesRepository } from './vulnerabilities/finding-devices-repository.js';
import { SyncRunsRepository } from './runs/sync-runs-repository.js';
import { CursorsRepository } from './runs/cursors-repository.js';
import { VulnerabilitiesRepository } from './vulnerabilities/vulnerabilities-repository.js';
import { ActivityRepository } from './activity/activity-repository.js';
import { EndpointRiskRepository } from './endpoints/endpoint-risk-repository.js';
import { ProfilesRepository } from './endpoints/profiles-repository.js';
import { PatchesRepository } from './patches/patches-repository.js';
import { StrategiesRepository } from './patches/strategies-repository.js';
import { SnapshotsRepository } from './dashboard/snapshots-repository.js';
import { MachineActionsRepository } from './activity/machine-actions-repository.js';
import { MaintenanceRepository } from './runs/maintenance-repository.js';
import { SoftwareRepository } from './vulnerabilities/software-repository.js';
import { HuntingQueriesRepository } from './activity/hunting-queries-repository.js';
import { HuntingResultsRepository } from './activity/hunting-results-repository.js';
import { RecommendationsRepository } from './vulnerabilities/recommendations-repository.js';
import { ExposureScoresRepository } from './dashboard/exposure-scores-repository.js';
import { UsersRepository } from './access/users-repository.js';
import { SessionsRepository } from './access/sessions-repository.js';
import { ApiTokensRepository } from './access/api-tokens-repository.js';
import { AuditLogRepository } from './access/audit-log-repository.js';
import { CloudRepository } from './cloud/cloud-repository.js';
import { EntraDevicesRepository } from './endpoints/entra-devices-repository.js';

/** Every repository over one database handle. */
export interface Repositories {
  readonly db: Kysely<Database>;
  readonly dialect: Dialect;
  readonly integrations: IntegrationsRepository;
  readonly endpoints: EndpointsRepository;
  readonly endpointRisk: EndpointRiskRepository;
  readonly profiles: ProfilesRepository;
  readonly patches: PatchesRepository;
  readonly strategies: StrategiesRepository;
  readonly snapshots: SnapshotsRepository;
  readonly findings: FindingsRepository;
  readonly findingDevices: FindingDevicesRepository;
  readonly syncRuns: SyncRunsRepository;
  readonly cursors: CursorsRepository;
  readonly vulnerabilities: VulnerabilitiesRepository;
  readonly alerts: ActivityRepository<'alerts'>;
  readonly incidents: ActivityRepository<'incidents'>;
  readonly machineActions: MachineActionsRepository;
  readonly maintenance: MaintenanceRepository;
  readonly software: SoftwareRepository;
  readonly huntingQueries: HuntingQueriesRepository;
  readonly huntingResults: HuntingResultsRepository;
  readonly recommendations: RecommendationsRepository;
  readonly exposureScores: ExposureScoresRepository;
  readonly users: UsersRepository;
  readonly sessions: SessionsRepository;
  readonly apiTokens: ApiTokensRepository;
  readonly auditLog: AuditLogRepository;
  readonly cloud: CloudRepository;
  readonly entraDevices: EntraDevicesRepository;
}

export function createRepositories(store: Pick<Store, 'db' | 'bulk' | 'dialect'>): Repositories {
  const { db } = store;
  const cursors = new CursorsRepository(db);
  return {
    db,
    dialect: store.dialect,
    integrations: new IntegrationsRepository(db),
    endpoints: new EndpointsRepository(db),
    endpointRisk: new EndpointRiskRepository(db),
    profiles: new ProfilesRepository(db),
    patches: new PatchesRepository(db, store.dialect),
    strategies: new StrategiesRepository(db),
    snapshots: new SnapshotsRepository(db),
    findings: new FindingsRepository(db, store.bulk),
    findingDevices: new FindingDevicesRepository(db),
    syncRuns: new SyncRunsRepository(db),
    cursors,
    vulnerabilities: new VulnerabilitiesRepository(db),
    alerts: new ActivityRepository(db, 'alerts', cursors),
    incidents: new ActivityRepository(db, 'incidents', cursors),
    machineActions: new MachineActionsRepository(db),
    maintenance: new MaintenanceRepository(db, store.dialect),
    software: new SoftwareRepository(db),
    huntingQueries: new HuntingQueriesRepository(db),
    huntingResults: new HuntingResultsRepository(db),
    recommendations: new RecommendationsRepository(db),
    exposureScores: new ExposureScoresRepository(db),
    users: new UsersRepository(db),
    sessions: new SessionsRepository(db),
    apiTokens: new ApiTokensRepository(db),
    auditLog: new AuditLogRepository(db),
    cloud: new CloudRepository(db, store.dialect),
    entraDevices: new EntraDevicesRepository(db),
  };
}
