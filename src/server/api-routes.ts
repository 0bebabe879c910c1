import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Hub } from '../app/hub.js';
import { integrationRoutes } from './routes/integrations.js';
import { endpointRoutes } from './routes/endpoints.js';
import { vulnerabilityRoutes } from './routes/vulnerabilities.js';
import { activityRoutes } from './routes/activity.js';
import { syncRunRoutes } from './routes/sync-runs.js';
import { profileRoutes } from './routes/profiles.js';
import { patchRoutes } from './routes/patches.js';
import { strategyRoutes } from './routes/strategies.js';
import { remediationRoutes } from './routes/remediation.js';
import { trendRoutes } from './routes/trends.js';
import { actionRoutes } from './routes/actions.js';
import { huntingRoutes } from './routes/hunting.js';
import { softwareRoutes } from './routes/software.js';
import { recommendationRoutes } from './routes/recommendations.js';
import { accessRoutes } from './routes/access.js';
import { auditLogRoutes } from './routes/audit-log.js';

/** Every `/api/v1` route; who may call which is in access-policy.ts, enforced for the whole server. */
export const apiRoutes: FastifyPluginAsyncZod<{ hub: Hub }> = async (app, { hub }) => {
  await app.register(accessRoutes, { hub });
  await app.register(auditLogRoutes, { hub });
  await app.register(integrationRoutes, { hub });
  await app.register(endpointRoutes, { hub });
  await app.register(vulnerabilityRoutes, { hub });
  await app.register(activityRoutes, { hub });
  await app.register(syncRunRoutes, { hub });
  await app.register(profileRoutes, { hub });
  await app.register(patchRoutes, { hub });
  await app.register(strategyRoutes, { hub });
  await app.register(remediationRoutes, { hub });
  await app.register(trendRoutes, { hub });
  await app.register(actionRoutes, { hub });
  await app.register(huntingRoutes, { hub });
  await app.register(softwareRoutes, { hub });
  await app.register(recommendationRoutes, { hub });
};
