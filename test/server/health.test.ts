import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { useApi, type TestApi } from './api-harness.js';

const packageVersion = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

describe('/healthz', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await useApi('sqlite');
  });

  it("should answer anonymous callers with the database dialect and package.json's version", async () => {
    const { status, body } = await api.call('GET', '/healthz', undefined, { token: null });
    expect(status).toBe(200);
    expect(body).toEqual({ status: 'ok', database: 'sqlite', version: packageVersion });
  });

  it('should document the version in the OpenAPI document', async () => {
    const { body } = await api.call<{
      paths: Record<
        string,
        { get: { responses: Record<string, { content: Record<string, { schema: unknown }> }> } }
      >;
    }>('GET', '/api/openapi.json');
    const schema = body.paths['/healthz']!.get.responses['200']!.content['application/json']!.schema;
    expect(schema).toMatchObject({
      required: expect.arrayContaining(['status', 'database', 'version']) as unknown,
      properties: { version: { type: 'string' } },
    });
  });
});
