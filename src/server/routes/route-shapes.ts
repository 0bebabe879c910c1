import { z } from 'zod';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import {
  errorResponses,
  integrationQuery,
  numericIdParams,
  pageOf,
  pageQuery,
  textIdParams,
} from '../schemas/common.js';
import { endpointFound, type Page, type PageRequest } from '../../store/index.js';

/*
 * Route shapes several features share, so that a list, a lookup or a removal validates, documents and answers
 * alike wherever it stands: each helper registers one route from what differs (path, words, schema, store call).
 */

type ZodApp = Parameters<FastifyPluginCallbackZod>[0];

/** What the OpenAPI document says of a route. */
interface RouteWords {
  readonly tags: string[];
  readonly summary: string;
}

/** A list's filters: `integration` is among them, as every list of synced records narrows by it. */
type ListQueryShape = z.ZodRawShape & { integration: z.ZodType<string | undefined> };

/** A list's query as validated: the page and the filters. */
type ListQuery<F extends ListQueryShape> = PageRequest & { integration?: string } & z.output<z.ZodObject<F>>;

/** The store's filter of a list: the query's filters, with `integration` spelt as the store's `integrationId`. */
type ListFilter<F extends ListQueryShape> = Omit<ListQuery<F>, keyof PageRequest | 'integration'> & {
  integrationId: string | undefined;
};

/**
 * `GET path?page&pageSize&integration&…filters`: a page of `item`s, the query's filters handed to the store as
 * they are but for `integration`, which the stores call `integrationId`.
 */
export function listRoute<F extends ListQueryShape, T extends z.ZodType>(
  app: ZodApp,
  path: string,
  route: RouteWords & { readonly query: F; readonly item: T },
  list: (filter: ListFilter<F>, page: PageRequest) => Promise<Page<z.output<T>>>,
): void {
  const { tags, summary, query, item } = route;
  app.get(
    path,
    {
      schema: {
        tags,
        summary,
        querystring: pageQuery.extend(query).strict(),
        response: { 200: pageOf(item), ...errorResponses(400) },
      },
    },
    (request) => {
      // The type provider cannot resolve a query schema that is still generic; the schema above is what parsed it.
      const { page, pageSize, integration, ...filter } = request.query as ListQuery<F>;
      return list({ ...filter, integrationId: integration }, { page, pageSize });
    },
  );
}

/** Finds a record by Defender's id, in the given integration or the first that has it; throws a 404 if none. */
type FindInIntegration<R> = (id: string, integration: string | undefined) => Promise<R>;

/**
 * `GET path/:id?integration=`: one record by Defender's id, which two integrations may share. `integration`
 * is the query's schema where a feature documents it in its own words.
 */
export function lookupRoute<T extends z.ZodType>(
  app: ZodApp,
  path: string,
  route: RouteWords & { readonly item: T; readonly integration?: z.ZodType<string | undefined> },
  find: FindInIntegration<z.output<T>>,
): void {
  const { tags, summary, item, integration = integrationQuery } = route;
  // Widened, as the type provider leaves a bare generic schema's reply type unresolved; `find` is checked against it.
  const body: z.ZodType = item;
  app.get(
    path,
    {
      schema: {
        tags,
        summary,
        params: textIdParams,
        querystring: z.object({ integration }).strict(),
        response: { 200: body, ...errorResponses(400, 404) },
      },
    },
    (request) => find(request.params.id, request.query.integration),
  );
}

/** The schema of a page of what one record links to: a 404 when `params` name no record. */
function linkedPageSchema<P extends z.ZodObject, Q extends z.ZodObject, T extends z.ZodType>(
  route: RouteWords & { readonly item: T },
  params: P,
  querystring: Q,
) {
  const { item, ...words } = route;
  return { ...words, params, querystring, response: { 200: pageOf(item), ...errorResponses(400, 404) } };
}

/**
 * `GET path/:id/…?page&pageSize&integration`: a page of what a record found by Defender's id links to, read by
 * the record's own integration and id.
 */
export function linkedPageRoute<R extends { integrationId: string; id: string }, T extends z.ZodType>(
  app: ZodApp,
  path: string,
  route: RouteWords & { readonly item: T },
  find: FindInIntegration<R>,
  list: (integrationId: string, id: string, page: PageRequest) => Promise<Page<z.output<T>>>,
): void {
  const querystring = pageQuery.extend({ integration: integrationQuery }).strict();
  app.get(path, { schema: linkedPageSchema(route, textIdParams, querystring) }, async (request) => {
    const { integration, ...page } = request.query;
    const { integrationId, id } = await find(request.params.id, integration);
    return list(integrationId, id, page);
  });
}

/** `GET /endpoints/:id/…?page&pageSize`: a page of what concerns one endpoint, a 404 for an unknown one. */
export function endpointPageRoute<K, T extends z.ZodType>(
  app: ZodApp,
  path: string,
  route: RouteWords & { readonly item: T },
  endpoints: { key(id: number): Promise<K | undefined> },
  list: (key: K, page: PageRequest) => Promise<Page<z.output<T>>>,
): void {
  app.get(path, { schema: linkedPageSchema(route, numericIdParams, pageQuery.strict()) }, async (request) => {
    const { id } = request.params;
    return list(endpointFound(await endpoints.key(id), id), request.query);
  });
}

/** `DELETE path/:id` of a row with a hub-assigned number: 204 with no body, 404 when there is no such row. */
export function removeRoute(
  app: ZodApp,
  path: string,
  route: RouteWords,
  remove: (id: number) => Promise<void>,
): void {
  app.delete(
    path,
    {
      schema: {
        ...route,
        params: numericIdParams,
        response: { 204: z.null(), ...errorResponses(400, 404) },
      },
    },
    async (request, reply) => {
      await remove(request.params.id);
      return reply.code(204).send(null);
    },
  );
}
