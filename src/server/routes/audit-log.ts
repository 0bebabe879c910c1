import { z } from 'zod';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import type { Hub } from '../../app/hub.js';
import { errorResponses, pageOf, pageQuery } from '../schemas/common.js';
import { auditEntryBody } from '../schemas/audit.js';
import { exportBody, exportFormatQuery, exportProduces, sendExport } from '../export-reply.js';
import {
  type AuditEntry,
  type AuditFilter,
  type ExportRecord,
  keysetRows,
  mapped,
  parseStoredJson,
} from '../../store/index.js';

const tags = ['audit'];

/** The API answers the details parsed; exports carry them as written. */
function toBody(entry: AuditEntry): z.output<typeof auditEntryBody> {
  return { ...entry, details: parseStoredJson(entry.details) };
}

const filterQuery = z.object({
  actor: z.string().trim().min(1).max(200).optional(),
  action: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .optional()
    .describe('The start of the action, e.g. `POST /api/v1/integrations`.'),
  outcome: z.enum(['success', 'failure', 'refused']).optional(),
  since: z.iso.datetime().optional().describe('ISO 8601 instant, inclusive.'),
  until: z.iso.datetime().optional().describe('ISO 8601 instant, inclusive.'),
});

const exportColumns = [
  'id',
  'at',
  'actor',
  'actorKind',
  'address',
  'action',
  'target',
  'outcome',
  'status',
  'details',
];

function exportRecord(entry: AuditEntry): ExportRecord {
  return { ...entry };
}

/** The audit log (admins): newest first, and as a file. */
export const auditLogRoutes: FastifyPluginCallbackZod<{ hub: Hub }> = (app, { hub }, done) => {
  const { auditLog } = hub.data;

  app.get(
    '/audit-log',
    {
      schema: {
        tags,
        summary: 'Changes, sign-ins and action requests, newest first (admins)',
        querystring: pageQuery.extend(filterQuery.shape).strict(),
        response: { 200: pageOf(auditEntryBody), ...errorResponses(400) },
      },
    },
    async (request) => {
      const { page, pageSize, ...filter } = request.query;
      const rows = await auditLog.list(filter satisfies AuditFilter, { page, pageSize });
      return { ...rows, items: rows.items.map(toBody) };
    },
  );

  app.get(
    '/audit-log/export',
    {
      schema: {
        tags,
        summary: 'The audit log as a file, oldest first (admins): NDJSON, CSV or JSON, streamed',
        querystring: filterQuery.extend({ format: exportFormatQuery('ndjson') }).strict(),
        produces: exportProduces,
        response: { 200: exportBody, ...errorResponses(400) },
      },
    },
    async (request, reply) => {
      const { format, ...filter } = request.query;
      const rows = keysetRows(
        (after: number | undefined, limit) => auditLog.from(filter, after ?? 0, limit),
        (row) => row.id,
      );
      return sendExport(
        reply,
        { name: 'audit-log', format, columns: exportColumns },
        mapped(rows, exportRecord),
      );
    },
  );

  done();
};
