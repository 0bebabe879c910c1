import type { ColumnDefinitionBuilder } from 'kysely';

/** Integer primary key that counts itself, on either dialect. */
export function serialKey(dialect: 'sqlite' | 'postgres'): 'integer' | 'bigserial' {
  return dialect === 'sqlite' ? 'integer' : 'bigserial';
}

/** The primary-key constraint for a `serialKey` column: SQLite needs AUTOINCREMENT so ids are never reused. */
export function serialKeyConstraint(dialect: 'sqlite' | 'postgres') {
  return (c: ColumnDefinitionBuilder): ColumnDefinitionBuilder =>
    dialect === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey();
}
