import type { Selectable } from 'kysely';
import type { PatchStrategiesTable } from '../db/schema.js';

/** A saved patch strategy as the API and the CLI show it. */
export interface Strategy {
  id: number;
  name: string;
  description: string | null;
  /** The expression in canonical form. */
  expression: string;
  createdAt: string;
  updatedAt: string;
}

export function toStrategy(row: Selectable<PatchStrategiesTable>): Strategy {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    expression: row.expression,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
