import { z } from 'zod';

/** One result column: its name and the service's type name (`String`, `DateTime`, `Int64`, ...). */
export interface HuntingColumn {
  readonly name: string;
  readonly type: string;
}

const row = z.record(z.string(), z.unknown());

// One example on the Graph page capitalises the schema's keys: read both spellings.
const graphColumn = z.union([
  z.looseObject({ name: z.string(), type: z.string() }),
  z.looseObject({ Name: z.string(), Type: z.string() }).transform((c) => ({ name: c.Name, type: c.Type })),
]);

/** Graph `runHuntingQuery`: `{"schema": [{"name","type"}], "results": [...]}`. */
export const graphHuntingResultSchema = z
  .looseObject({ schema: z.array(graphColumn), results: z.array(row) })
  .transform((r) => ({
    schema: r.schema.map((c): HuntingColumn => ({ name: c.name, type: c.type })),
    results: r.results,
  }));

/** MDE `advancedqueries/run`: `{"Schema": [{"Name","Type"}], "Results": [...]}` (PascalCase). */
export const mdeHuntingResultSchema = z
  .looseObject({
    Schema: z.array(z.looseObject({ Name: z.string(), Type: z.string() })),
    Results: z.array(row),
  })
  .transform((r) => ({
    schema: r.Schema.map((c): HuntingColumn => ({ name: c.Name, type: c.Type })),
    results: r.Results,
  }));
