import type { Connection } from '../db/repository.js';
import { NamedRecords } from '../db/named-records.js';
import {
  toIntegrationRow,
  toIntegrationUpdate,
  toStoredIntegration,
  type IntegrationChange,
  type NewIntegration,
  type StoredIntegration,
} from './integration-mapper.js';

/** The only code that reads and writes the integrations table. The sealed credential is read on its own. */
export class IntegrationsRepository extends NamedRecords<'integrations', StoredIntegration> {
  constructor(connection: Connection) {
    super(connection, 'integrations', toStoredIntegration);
  }

  async insert(integration: NewIntegration): Promise<StoredIntegration> {
    const row = await this.db
      .insertInto('integrations')
      .values(toIntegrationRow(integration))
      .returningAll()
      .executeTakeFirstOrThrow();
    return toStoredIntegration(row);
  }

  /** The credential's AES-256-GCM envelope, bound to the integration's id: only a Defender client opens it. */
  async sealedCredential(id: string): Promise<string | undefined> {
    const row = await this.db
      .selectFrom('integrations')
      .select('credential_ciphertext')
      .where('id', '=', id)
      .executeTakeFirst();
    return row?.credential_ciphertext;
  }

  async update(id: string, change: IntegrationChange): Promise<StoredIntegration | undefined> {
    const row = await this.db
      .updateTable('integrations')
      .set(toIntegrationUpdate(change))
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst();
    return row === undefined ? undefined : toStoredIntegration(row);
  }
}
