import { z } from 'zod';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import type { Hub } from '../../app/hub.js';
import { errorResponses, pageOf, pageQuery, textIdParams } from '../schemas/common.js';
import {
  activityFilterQuery,
  alertDetailBody,
  alertSummaryBody,
  incidentDetailBody,
  incidentSummaryBody,
} from '../schemas/activity.js';
import { found } from '../../errors.js';

const listQuery = pageQuery.extend(activityFilterQuery).strict();
const itemQuery = z.object({ integration: activityFilterQuery.integration }).strict();

/** Alerts and incidents: lists newest update first, and single records with Defender's raw record. */
export const activityRoutes: FastifyPluginCallbackZod<{ hub: Hub }> = (app, { hub }, done) => {
  const { alerts, incidents } = hub.data;

  app.get(
    '/alerts',
    {
      schema: {
        tags: ['alerts'],
        summary: 'List alerts, most recently updated first',
        querystring: listQuery,
        response: { 200: pageOf(alertSummaryBody), ...errorResponses(400) },
      },
    },
    (request) => {
      const { page, pageSize, integration, ...filter } = request.query;
      return alerts.list({ ...filter, integrationId: integration }, { page, pageSize });
    },
  );

  app.get(
    '/alerts/:id',
    {
      schema: {
        tags: ['alerts'],
        summary: 'One alert',
        params: textIdParams,
        querystring: itemQuery,
        response: { 200: alertDetailBody, ...errorResponses(400, 404) },
      },
    },
    async (request) =>
      found(
        await alerts.get(request.params.id, request.query.integration),
        'ALERT_NOT_FOUND',
        `No alert with id ${request.params.id}.`,
      ),
  );

  app.get(
    '/incidents',
    {
      schema: {
        tags: ['incidents'],
        summary: 'List incidents, most recently updated first',
        querystring: listQuery,
        response: { 200: pageOf(incidentSummaryBody), ...errorResponses(400) },
      },
    },
    (request) => {
      const { page, pageSize, integration, ...filter } = request.query;
      return incidents.list({ ...filter, integrationId: integration }, { page, pageSize });
    },
  );

  app.get(
    '/incidents/:id',
    {
      schema: {
        tags: ['incidents'],
        summary: 'One incident',
        params: textIdParams,
        querystring: itemQuery,
        response: { 200: incidentDetailBody, ...errorResponses(400, 404) },
      },
    },
    async (request) =>
      found(
        await incidents.get(request.params.id, request.query.integration),
        'INCIDENT_NOT_FOUND',
        `No incident with id ${request.params.id}.`,
      ),
  );

  done();
};
