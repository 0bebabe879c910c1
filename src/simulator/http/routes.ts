import type { SimulatorControl } from '../control.js';
import { alertRoutes } from '../routes/alerts.js';
import { applicationRoutes } from '../routes/applications.js';
import { armRoutes } from '../routes/arm.js';
import { deviceRoutes } from '../routes/devices.js';
import { entraDiscoveryRoutes } from '../routes/entra-discovery.js';
import { entraTokenRoutes } from '../routes/entra-token.js';
import { exportFileRoutes } from '../routes/export-files.js';
import { exportJsonRoutes } from '../routes/export-json.js';
import { graphSecurityRoutes } from '../routes/graph-security.js';
import { huntingRoutes } from '../routes/hunting.js';
import { machineActionRoutes } from '../routes/machine-actions.js';
import { machineRoutes } from '../routes/machines.js';
import { recommendationRoutes } from '../routes/recommendations.js';
import { responseActionRoutes } from '../routes/response-actions.js';
import { simControlRoutes } from '../routes/sim-control.js';
import { softwareTruthRoutes } from '../routes/software-truth.js';
import { softwareRoutes } from '../routes/software.js';
import { vulnerabilityRoutes } from '../routes/vulnerabilities.js';
import { xdrIncidentRoutes } from '../routes/xdr-incidents.js';
import type { Route } from './route.js';

/**
 * Every route; the first whose pattern matches answers. The exports come before `/api/machines/{id}`, which
 * would take their names for a machine id; no other patterns overlap. MDE paths ignore case.
 */
export function buildRoutes(control: SimulatorControl): readonly Route[] {
  return [
    ...entraDiscoveryRoutes,
    ...entraTokenRoutes,
    ...exportJsonRoutes,
    ...exportFileRoutes,
    ...machineRoutes,
    ...vulnerabilityRoutes,
    ...softwareRoutes,
    ...recommendationRoutes,
    ...alertRoutes,
    ...xdrIncidentRoutes,
    ...machineActionRoutes,
    ...responseActionRoutes,
    ...graphSecurityRoutes,
    ...applicationRoutes,
    ...deviceRoutes,
    ...huntingRoutes(),
    ...armRoutes,
    ...softwareTruthRoutes,
    ...simControlRoutes(control),
  ];
}
