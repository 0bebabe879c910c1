import type { Kysely } from 'kysely';
import type { Database } from './schema.js';
import type { Dialect, Store } from './database.js';
import { IntegrationsRepository } from './integrations-repository.js';
import { EndpointsRepository } from './endpoints-repository.js';
import { FindingsRepository } from './findings-repository.js';
import { FindingDevicesRepository } from './finding-devices-repository.js';
import { SyncRunsRepository } from './sync-runs-repository.js';
import { CursorsRepository } from './cursors-repository.js';
import { VulnerabilitiesRepository } from './vulnerabilities-repository.js';
import { ActivityRepository } from './activity-repository.js';
import { EndpointRiskRepository } from './endpoint-risk-repository.js';
import { ProfilesRepository } from './profiles-repository.js';
import { PatchesRepository } from './patches-repository.js';
import { StrategiesRepository } from './strategies-repository.js';
import { SnapshotsRepository } from './snapshots-repository.js';
import { MachineActionsRepository } from './machine-actions-repository.js';
import { MaintenanceRepository } from './maintenance-repository.js';
import { SoftwareRepository } from './software-repository.js';
import { HuntingQueriesRepository } from './hunting-queries-repository.js';
import { HuntingResultsRepository } from './hunting-results-repository.js';
import { RecommendationsRepository } from './recommendations-repository.js';
import { ExposureScoresRepository } from './exposure-scores-repository.js';
import { UsersRepository } from './users-repository.js';
import { SessionsRepository } from './sessions-repository.js';
import { ApiTokensRepository } from './api-tokens-repository.js';
import { AuditLogRepository } from './audit-log-repository.js';
import { CloudRepository } from './cloud-repository.js';
import { EntraDevicesRepository } from './entra-devices-repository.js';

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
