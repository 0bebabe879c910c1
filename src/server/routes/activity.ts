import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import type { Hub } from '../../app/hub.js';
import {
  activityFilterQuery,
  alertDetailBody,
  alertSummaryBody,
  incidentDetailBody,
  incidentSummaryBody,
} from '../schemas/activity.js';
import { found } from '../../errors.js';
import { listRoute, lookupRoute } from './route-shapes.js';

/** Alerts and incidents: lists newest update first, and single records with Defender's raw record. */
export const activityRoutes: FastifyPluginCallbackZod<{ hub: Hub }> = (app, { hub }, done) => {
  const { alerts, incidents } = hub.data;
  // A lookup takes the lists' integration filter, in the lists' words.
  const { integration } = activityFilterQuery;

  listRoute(
    app,
    '/alerts',
    {
      tags: ['alerts'],
      summary: 'List alerts, most recently updated first',
      query: activityFilterQuery,
      item: alertSummaryBody,
    },
    (filter, page) => alerts.list(filter, page),
  );

  lookupRoute(
    app,
    '/alerts/:id',
    { tags: ['alerts'], summary: 'One alert', item: alertDetailBody, integration },
    async (id, integrationId) =>
      found(await alerts.get(id, integrationId), 'ALERT_NOT_FOUND', `No alert with id ${id}.`),
  );

  listRoute(
    app,
    '/incidents',
    {
      tags: ['incidents'],
      summary: 'List incidents, most recently updated first',
      query: activityFilterQuery,
      item: incidentSummaryBody,
    },
    (filter, page) => incidents.list(filter, page),
  );

  lookupRoute(
    app,
    '/incidents/:id',
    { tags: ['incidents'], summary: 'One incident', item: incidentDetailBody, integration },
    async (id, integrationId) =>
      found(await incidents.get(id, integrationId), 'INCIDENT_NOT_FOUND', `No incident with id ${id}.`),
  );

  done();
};
