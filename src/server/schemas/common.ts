import { z } from 'zod';

/** `page` and `pageSize` of every list; query strings arrive as text, hence the coercion. */
export const pageQuery = z.object({
  page: z.coerce.number().int().min(1).default(1).describe('1-based page number.'),
  pageSize: z.coerce.number().int().min(1).max(500).default(50).describe('Items per page (1–500).'),
});

/** The answer of every list route. */
export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({
    items: z.array(item),
    total: z.number().int().describe('Items matching the filter, over all pages.'),
    page: z.number().int(),
    pageSize: z.number().int(),
  });
}

/** The answer of a list that is not paged. */
export function listOf<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item) });
}

/**
 * The answer of a list whose counts take in findings (CVEs, patches) or that lists endpoints: with how many devices
 * with findings are not endpoints, which those counts include and no endpoint view lists.
 */
export function pageWithDevicesNotImported<T extends z.ZodType>(item: T) {
  return pageOf(item).extend({
    devicesNotImported: z
      .number()
      .int()
      .describe(
        "Devices with open vulnerability findings that are not endpoints (filtered out by the import filters, or their machine records unread: Machine.Read.All missing), in the list's integration (all when none is given), whatever the other filters. Their findings count in CVE exposure and patches; the endpoint views do not list them.",
      ),
  });
}

/** A true/false query flag (query strings have no booleans). */
export function queryFlag(fallback: boolean) {
  return z
    .enum(['true', 'false'])
    .default(fallback ? 'true' : 'false')
    .transform((v) => v === 'true');
}

/** `true` or `false` in the query string, or absent for either. */
export function optionalQueryFlag() {
  return z
    .enum(['true', 'false'])
    .optional()
    .transform((v) => (v === undefined ? undefined : v === 'true'));
}

/** An optional exact-match filter on a stored Defender value. */
export function exactFilter(what: string) {
  return z.string().trim().min(1).optional().describe(`Exact ${what}, as Defender reports it.`);
}

export const errorBody = z
  .object({
    error: z.object({
      code: z.string().describe('Stable error code, e.g. INVALID_INPUT or INTEGRATION_NOT_FOUND.'),
      message: z.string().describe('What went wrong and what to do next.'),
      details: z.record(z.string(), z.unknown()).optional(),
    }),
  })
  .describe('An error.');
export type ErrorBody = z.output<typeof errorBody>;

/** The error answers a route can give, for its OpenAPI description. */
export function errorResponses<S extends 400 | 401 | 403 | 404 | 409 | 429 | 502 | 503>(
  ...statuses: S[]
): Record<S, typeof errorBody> {
  return Object.fromEntries(statuses.map((s) => [s, errorBody])) as Record<S, typeof errorBody>;
}

/** `:id` of a row whose key is a hub-assigned number. */
export const numericIdParams = z.object({ id: z.coerce.number().int().positive() });

/** `?integration=`: only the records of that integration (all of them when absent). */
export function integrationFilter(description = 'Integration id.') {
  return z.string().trim().min(1).optional().describe(description);
}

/** `?integration=` of a lookup by Defender's id, which two integrations may share. */
export const integrationQuery = integrationFilter('Integration id (the first that has it by default).');

/** `:id` of a row whose key is text (an integration id, a Defender alert id, …). */
export const textIdParams = z.object({ id: z.string().min(1).max(200) });

/**
 * `?name=High,Critical`: one or more members of an ordered scale, any case, each turned into the scale's own
 * spelling; an unknown word is a 400 that lists the scale.
 */
export function levelListFilter<L extends string>(name: string, scale: readonly L[]) {
  return z
    .string()
    .optional()
    .transform((text, ctx) => {
      if (text === undefined || text.trim() === '') return undefined;
      const wanted = text.split(',').map((part) => part.trim().toLowerCase());
      const levels = wanted.map((w) => scale.find((level) => level.toLowerCase() === w));
      if (levels.every((l) => l !== undefined)) return levels;
      ctx.addIssue({
        code: 'custom',
        message: `${name} takes ${scale.join(', ')} (several separated by commas).`,
      });
      return z.NEVER;
    })
    .describe(`Any of ${scale.join(', ')}, comma-separated.`);
}
