import type { SimState } from '../state.js';
import type { Exchange } from './exchange.js';
import { jsonArrayBody } from './record-bodies.js';
import { JSON_TYPE, sendChunks } from './responses.js';

/**
 * Streams `{"@odata.context": …, "value": [ … ] , …}`. `after` runs once the records are out and returns the
 * properties that follow `value` (e.g. `@odata.nextLink`, which depends on where the page stopped).
 */
export async function sendODataList(
  state: SimState,
  ex: Exchange,
  context: string,
  records: Iterable<Record<string, unknown>>,
  expected: number,
  after: () => Record<string, unknown> = () => ({}),
  before: Record<string, unknown> = {},
): Promise<boolean> {
  const leading = Object.entries({ '@odata.context': context, ...before })
    .map(([key, value]) => `${JSON.stringify(key)}:${JSON.stringify(value)}`)
    .join(',');
  const tail = (): string => {
    const trailing = Object.entries(after()).map(
      ([key, value]) => `,${JSON.stringify(key)}:${JSON.stringify(value)}`,
    );
    return `]${trailing.join('')}}`;
  };
  return sendChunks(
    ex,
    200,
    { 'content-type': JSON_TYPE, 'odata-version': '4.0' },
    jsonArrayBody(`{${leading},"value":[`, records, tail, {
      request: ex.faults,
      faults: state.faults,
      expected,
    }),
  );
}

/** `https://host/api/$metadata#Machines` */
export function mdeContext(state: SimState, set: string): string {
  return `${state.baseUrl()}/api/$metadata#${set}`;
}

/** `https://host/v1.0/$metadata#security/alerts_v2` */
export function graphContext(state: SimState, set: string): string {
  return `${state.baseUrl()}/v1.0/$metadata#${set}`;
}
