import { sql, type RawBuilder } from 'kysely';

/**
 * A level column's rank by the domain's scale (index in the scale, any case), null for an unknown word: the SQL
 * twin of `severityRank` / `exploitabilityRank`, built from the same scales.
 */
export function rankOf(column: string, scale: readonly string[]): RawBuilder<number | null> {
  // Literals, not parameters: PostgreSQL matches a grouped expression to its select only when both read alike.
  const cases = scale.map((level, rank) => sql`when ${sql.lit(level.toLowerCase())} then ${sql.lit(rank)}`);
  return sql`case lower(trim(${sql.ref(column)})) ${sql.join(cases, sql` `)} end`;
}

/** The scale's member at a rank column's value, null for -1. */
export function levelAt(rank: RawBuilder<number>, scale: readonly string[]): RawBuilder<string | null> {
  const cases = scale.map((level, index) => sql`when ${sql.lit(index)} then ${sql.lit(level)}`);
  return sql`case ${rank} ${sql.join(cases, sql` `)} end`;
}
