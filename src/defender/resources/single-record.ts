import type { ApiHttp } from '../api-http.js';
import type { Audience } from '../token-provider.js';
import type { ApiClass } from '../rate-governor.js';
import { DefenderError, DefenderErrorCode } from '../errors.js';
import type { RecordValidator } from '../schemas/record.js';

/** GET one entity and validate it; a malformed entity is an error here, since there is no run to go on with. */
export async function singleRecord<T>(
  http: ApiHttp,
  url: string,
  apiClass: ApiClass,
  validate: RecordValidator<T>,
  signal: AbortSignal | undefined,
  audience: Audience = 'defender',
): Promise<T> {
  const json = await http.json({ url, audience, apiClass, signal });
  const result = validate(json);
  if (result.ok) return result.value;
  throw new DefenderError(
    DefenderErrorCode.InvalidResponse,
    `${new URL(url).pathname} answered with a record the client cannot read: ${result.rejected.reason}.`,
  );
}
