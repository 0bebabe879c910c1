import { z } from 'zod';
import { timestampSchema } from './timestamp.js';

/** `GET /api/machines/SoftwareVulnerabilitiesExport`: where to download the snapshot's files. */
export const exportFilesResponseSchema = z.looseObject({
  exportFiles: z.array(z.url({ protocol: /^https$/ })),
  generatedTime: timestampSchema,
});
export type ExportFilesResponse = z.output<typeof exportFilesResponseSchema>;

/** MDE error body: `{"error":{"code","message","target"}}`; Graph puts `innerError` where MDE has `target`. */
export const apiErrorBodySchema = z.object({
  error: z.looseObject({
    code: z.string(),
    message: z.string().optional().default(''),
    target: z.string().nullable().optional(),
    innerError: z.looseObject({ 'request-id': z.string().optional() }).optional(),
  }),
});
export type ApiErrorBody = z.output<typeof apiErrorBodySchema>;

/** Entra ID token endpoint error body. */
export const entraErrorBodySchema = z.looseObject({
  error: z.string(),
  error_description: z.string().optional().default(''),
  error_codes: z.array(z.number()).optional().default([]),
  trace_id: z.string().optional(),
  correlation_id: z.string().optional(),
});

/** Entra ID token success body; v1 sends `expires_in` as a string. */
export const tokenResponseSchema = z.looseObject({
  token_type: z.string(),
  access_token: z.string().min(1),
  expires_in: z.union([z.number(), z.string().regex(/^\d+$/)]).transform(Number),
});
