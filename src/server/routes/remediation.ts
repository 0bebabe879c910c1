import { z } from 'zod';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import type { Hub } from '../../app/hub.js';
import { parseSlaDaysText } from '../../app/config.js';
import { defaultSlaDays, type SlaDays } from '../../domain/remediation.js';
import { severityLevels } from '../../domain/levels.js';
import { errorResponses, pageOf, pageQuery } from '../schemas/common.js';
import { InputError } from '../../errors.js';

const tags = ['remediation'];

const severityRecord = <T extends z.ZodType>(value: T) =>
  z.object(
    Object.fromEntries(severityLevels.map((s) => [s, value])) as Record<(typeof severityLevels)[number], T>,
  );

const remediationTime = z.object({
  count: z.number().int().describe('Resolved findings counted.'),
  meanDays: z.number().nullable().describe('Mean days from first seen to resolved; null without any.'),
});

const scopeQuery = z.object({
  integration: z.string().trim().min(1).optional().describe('Integration id.'),
  sla: z
    .string()
    .optional()
    .describe('SLA days for this answer, e.g. Critical=7,High=30 (over the configured HUB_SLA_DAYS).'),
});

const pastSlaBody = z.object({
  integrationId: z.string(),
  endpointId: z.number().int().nullable().describe('Null for a device that is not an endpoint.'),
  machineId: z.string(),
  deviceName: z
    .string()
    .nullable()
    .describe("The endpoint's DNS name, or the findings export's name of a device that is not an endpoint."),
  cveId: z.string(),
  severity: z.string(),
  softwareName: z.string().nullable(),
  fixingUpdate: z.string().nullable(),
  firstSeenAt: z.string(),
  dueAt: z.string().describe('First seen plus the SLA days of its severity.'),
  daysOverdue: z.number().int(),
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
          200: z.object({
            slaDays: severityRecord(z.number().int()),
            meanTimeToRemediate: z.object({
              bySeverity: severityRecord(remediationTime),
              overall: remediationTime,
              ignored: z.object({
                resolvedBeforeFirstSeen: z.number().int(),
                invalidTimestamp: z.number().int(),
              }),
            }),
            openPastSla: severityRecord(z.number().int()),
          }),
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
