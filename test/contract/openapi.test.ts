import { beforeAll, describe, expect, it } from 'vitest';
import { useApi, type TestApi } from '../server/api-harness.js';

/** Object keys sorted and parameter lists ordered by where and name: the document's content, not its order. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) {
    const items = value.map(canonical);
    const isParameterList = items.every(
      (p) => typeof p === 'object' && p !== null && 'in' in p && 'name' in p,
    );
    if (!isParameterList) return items;
    const key = (p: unknown): string => {
      const { in: where, name } = p as { in: string; name: string };
      return `${where}:${name}`;
    };
    return items.sort((a, b) => key(a).localeCompare(key(b)));
  }
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, v]) => [k, canonical(v)]),
  );
}

describe('the OpenAPI document', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await useApi('sqlite');
  });

  // The recorded copy is the API's contract: a refactoring leaves it as it is, and a deliberate change to the API
  // shows up here as a reviewed diff (update with `vitest -u`).
  it('should describe the same paths, methods, parameters and schemas as the recorded copy', async () => {
    const { status, body } = await api.call<{ info: unknown }>('GET', '/api/openapi.json');
    expect(status).toBe(200);
    const { info: _info, ...document } = body;
    await expect(JSON.stringify(canonical(document), null, 2) + '\n').toMatchFileSnapshot(
      './__snapshots__/openapi.json',
    );
  });
});
