import { Repository } from '../db/repository.js';
import type { SealedKind } from '../../domain/sealed-secrets.js';

/** One sealed value at rest: which row it belongs to (its kind and id make its context) and its envelope. */
export interface SealedValue {
  readonly kind: SealedKind;
  readonly id: string;
  readonly envelope: string;
}

/**
 * Every column that holds a sealed value, read and rewritten together: key rotation is the one caller. A new
 * sealed column is added here (and to `sealContext`), or a rotation would leave it under a retired key.
 */
export class SealedSecretsRepository extends Repository {
  async list(): Promise<SealedValue[]> {
    const rows = await this.db
      .selectFrom('integrations')
      .select(['id', 'credential_ciphertext'])
      .orderBy('id')
      .execute();
    return rows.map(toSealedValue);
  }

  /**
   * Replaces every sealed value with what `reseal` makes of it, in one transaction: if `reseal` throws or the
   * database refuses a row, nothing is changed. Answers how many were rewritten.
   */
  async resealAll(reseal: (value: SealedValue) => string): Promise<number> {
    return this.db.transaction().execute(async (trx) => {
      let query = trx.selectFrom('integrations').select(['id', 'credential_ciphertext']).orderBy('id');
      // PostgreSQL: a credential saved meanwhile waits for the rotation instead of being overwritten with a
      // ciphertext made from its old value. SQLite needs no lock: a write there since this transaction's read
      // makes its first write fail (busy snapshot), which rolls it all back.
      if (this.dialect === 'postgres') query = query.forUpdate();
      const rows = await query.execute();
      for (const row of rows) {
        const envelope = reseal(toSealedValue(row));
        await trx
          .updateTable('integrations')
          .set({ credential_ciphertext: envelope })
          .where('id', '=', row.id)
          .execute();
      }
      return rows.length;
    });
  }
}

function toSealedValue(row: { id: string; credential_ciphertext: string }): SealedValue {
  return { kind: 'integration', id: row.id, envelope: row.credential_ciphertext };
}
