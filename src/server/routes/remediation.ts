import { z } from 'zod';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import type { Hub } from '../../app/hub.js';
import { parseSlaDaysText } from '../../app/config.js';
import { defaultSlaDays, type SlaDays } from '../../domain/remediation.js';
import { errorResponses, integrationFilter, pageOf, pageQuery } from '../schemas/common.js';
import { pastSlaBody, remediationBody } from '../schemas/remediation.js';
import { InputError } from '../../errors.js';

const tags = ['remediation'];

const scopeQuery = z.object({
  integration: integrationFilter(),
  sla: z
    .string()
    .optional()
    .describe('SLA days for this answer, e.g. Critical=7,High=30 (over the configured HUB_SLA_DAYS).'),
});

/** Remediation: how long fixes take, and what is overdue against the SLA. */
export const remediationRoutes: FastifyPluginCallbackZod<{ hub: Hub }> = (app, { hub }, done) => {
  const { vulnerabilities } = hub.data;
  /** The configured SLA days, with the request's own over them. */
  const slaOf = (text: string | undefined): SlaDays => {
    const configured = hub.config.slaDays ?? defaultSlaDays;
    if (text === undefined) return configured;
    const parsed = parseSlaDaysText(text, configured);
    if (!parsed.ok) throw new InputError(`sla: ${parsed.error}.`);
    return parsed.value;
  };

  app.get(
    '/remediation',
    {
      schema: {
        tags,
        summary: 'Mean time to remediate per severity, and the open findings past their SLA',
        querystring: scopeQuery.strict(),
        response: {
          200: remediationBody,
          ...errorResponses(400),
        },
      },
    },
    async (request) => {
      const slaDays = slaOf(request.query.sla);
      const integrationId = request.query.integration;
      const [mttr, past] = await Promise.all([
        vulnerabilities.meanTimeToRemediate(integrationId),
        vulnerabilities.pastSlaCounts(integrationId, slaDays, new Date()),
      ]);
      return { slaDays, meanTimeToRemediate: mttr, openPastSla: past };
    },
  );

  app.get(
    '/remediation/past-sla',
    {
      schema: {
        tags,
        summary: 'Open vulnerability findings past their SLA, the longest overdue first',
        querystring: pageQuery.extend(scopeQuery.shape).strict(),
        response: { 200: pageOf(pastSlaBody), ...errorResponses(400) },
      },
    },
    (request) => {
      const { page, pageSize, integration, sla } = request.query;
      return vulnerabilities.pastSla(integration, slaOf(sla), new Date(), { page, pageSize });
    },
  );

  done();
};
