import type { Migration } from 'kysely/migration';
import type { Dialect } from '../db/dialect.js';
import { up as initial } from './0001-initial.js';
import { up as jobs } from './0002-jobs.js';
import { up as cveExposure } from './0003-cve-exposure.js';
import { up as syncRunRunner } from './0004-sync-run-runner.js';
import { up as riskAndProfiles } from './0005-risk-and-profiles.js';
import { up as patchesAndStrategies } from './0006-patches-and-strategies.js';
import { up as strategyEndpointFields } from './0007-strategy-endpoint-fields.js';
import { up as machineActions } from './0008-machine-actions.js';
import { up as software } from './0009-software.js';
import { up as recommendations } from './0010-recommendations.js';
import { up as hunting } from './0011-hunting.js';
import { up as auth } from './0012-auth.js';
import { up as secretExpiry } from './0013-secret-expiry.js';
import { up as auditLog } from './0014-audit-log.js';
import { up as entraDevices } from './0015-entra-devices.js';
import { up as cloudPosture } from './0016-cloud-posture.js';
import { up as cloudFindingCves } from './0017-cloud-finding-cves.js';
import { up as endpointListOrder } from './0018-endpoint-list-order.js';
import { up as findingSoftwareCves } from './0019-finding-software-cves.js';
import { up as activitySource } from './0020-activity-source.js';
import { up as networkAccessible } from './0021-network-accessible.js';
import { up as findingsWithoutEndpoints } from './0022-findings-without-endpoints.js';
import { up as notPermittedRuns } from './0023-not-permitted-runs.js';
import { up as runStages } from './0024-run-stages.js';
import { up as jobEngine } from './0025-job-engine.js';
import { up as apiBudget } from './0026-api-budget.js';

/** Every migration by name, in order: a new one is added at the end and never changed once shipped. */
export function migrations(dialect: Dialect): Record<string, Migration> {
  return {
    '0001-initial': { up: initial(dialect) },
    '0002-jobs': { up: jobs(dialect) },
    '0003-cve-exposure': { up: cveExposure() },
    '0004-sync-run-runner': { up: syncRunRunner() },
    '0005-risk-and-profiles': { up: riskAndProfiles(dialect) },
    '0006-patches-and-strategies': { up: patchesAndStrategies(dialect) },
    '0007-strategy-endpoint-fields': { up: strategyEndpointFields() },
    '0008-machine-actions': { up: machineActions() },
    '0009-software': { up: software() },
    '0010-recommendations': { up: recommendations(dialect) },
    '0011-hunting': { up: hunting(dialect) },
    '0012-auth': { up: auth(dialect) },
    '0013-secret-expiry': { up: secretExpiry() },
    '0014-audit-log': { up: auditLog(dialect) },
    '0015-entra-devices': { up: entraDevices() },
    '0016-cloud-posture': { up: cloudPosture() },
    '0017-cloud-finding-cves': { up: cloudFindingCves(dialect) },
    '0018-endpoint-list-order': { up: endpointListOrder(dialect) },
    '0019-finding-software-cves': { up: findingSoftwareCves() },
    '0020-activity-source': { up: activitySource() },
    '0021-network-accessible': { up: networkAccessible(dialect) },
    '0022-findings-without-endpoints': { up: findingsWithoutEndpoints() },
    '0023-not-permitted-runs': { up: notPermittedRuns() },
    '0024-run-stages': { up: runStages() },
    '0025-job-engine': { up: jobEngine(dialect) },
    '0026-api-budget': { up: apiBudget(dialect) },
  };
}
