import { z } from 'zod';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import type { Hub } from '../../app/hub.js';
import { errorResponses, integrationFilter, pageOf, pageQuery } from '../schemas/common.js';
import { entraDeviceBody } from '../schemas/entra-device.js';

const tags = ['entra-devices'];

const entraDeviceQuery = pageQuery
  .extend({
    integration: integrationFilter(),
    trustType: z
      .string()
      .trim()
      .min(1)
      .optional()
      .describe('Exact trustType, as Graph reports it: AzureAd, Workplace or ServerAd.'),
    onboarded: z
      .enum(['true', 'false'])
      .optional()
      .transform((v) => (v === undefined ? undefined : v === 'true'))
      .describe(
        'false: the coverage gap, devices no active Defender endpoint names by aadDeviceId (not onboarded); ' +
          'true: the devices joined to an endpoint. Every device when absent.',
      ),
  })
  .strict();

/** Entra ID devices, and the coverage gap: devices in the directory that Defender does not cover. */
export const entraDeviceRoutes: FastifyPluginCallbackZod<{ hub: Hub }> = (app, { hub }, done) => {
  app.get(
    '/entra-devices',
    {
      schema: {
        tags,
        summary:
          'Entra ID devices, by display name; onboarded=false lists the ones not onboarded to Defender',
        description:
          "Devices the entraDevices sync read from Microsoft Graph. A device is onboarded when an active (not stale) endpoint's aadDeviceId is its deviceId, in the same integration.",
        querystring: entraDeviceQuery,
        response: { 200: pageOf(entraDeviceBody), ...errorResponses(400) },
      },
    },
    (request) => {
      const { page, pageSize, integration, trustType, onboarded } = request.query;
      return hub.data.entraDevices.list(
        { integrationId: integration, trustType, onboarded },
        { page, pageSize },
      );
    },
  );
  done();
};
