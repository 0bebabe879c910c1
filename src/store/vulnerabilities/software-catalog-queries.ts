import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { containsText, fetchPage, type Page, type PageRequest } from '../db/list-queries.js';
import { toSoftwareProduct, type SoftwareProduct } from './software-mapper.js';

export interface SoftwareFilter {
  readonly integrationId?: string | undefined;
  /** Part of the name or vendor. */
  readonly search?: string | undefined;
  /** Only products past or near their end of support (any status but None). */
  readonly endOfSupport?: boolean | undefined;
}

/** Most exposed first. */
export function listSoftware(
  db: Kysely<Database>,
  filter: SoftwareFilter,
  page: PageRequest,
): Promise<Page<SoftwareProduct>> {
  let query = db.selectFrom('software');
  if (filter.integrationId !== undefined) query = query.where('integration_id', '=', filter.integrationId);
  const search = filter.search?.trim();
  if (search !== undefined && search !== '')
    query = query.where((eb) =>
      eb.or([containsText(eb.ref('name'), search), containsText(eb.ref('vendor'), search)]),
    );
  if (filter.endOfSupport === true)
    query = query.where('end_of_support_status', 'is not', null).where('end_of_support_status', '<>', 'None');
  return fetchPage(
    page,
    query
      .selectAll()
      .orderBy('exposed_machines', 'desc')
      .orderBy('installed_machines', 'desc')
      .orderBy('integration_id')
      .orderBy('software_id'),
    query.select((eb) => eb.fn.countAll<number>().as('total')),
    (rows) => rows.map(toSoftwareProduct),
  );
}

/** By Defender's id, in one integration or, without one, the first integration that has it. */
export async function getSoftware(
  db: Kysely<Database>,
  softwareId: string,
  integrationId?: string,
): Promise<SoftwareProduct | undefined> {
  let query = db.selectFrom('software').selectAll().where('software_id', '=', softwareId);
  if (integrationId !== undefined) query = query.where('integration_id', '=', integrationId);
  const row = await query.orderBy('integration_id').executeTakeFirst();
  return row === undefined ? undefined : toSoftwareProduct(row);
}
