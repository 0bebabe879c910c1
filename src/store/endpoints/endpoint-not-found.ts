import { NotFoundError } from '../../errors.js';

/** An endpoint id the caller named is not the hub's; the usual slip is a Defender machine id in its place. */
export const endpointNotFound = (id: number): NotFoundError =>
  new NotFoundError(
    'ENDPOINT_NOT_FOUND',
    `No endpoint with id ${id}. Endpoint ids are the hub's own, not Defender's machine ids: find the endpoint on the Endpoints page or with GET /api/v1/endpoints?search=NAME.`,
  );

/** The endpoint's value, or the error for an id that is not the hub's. */
export function endpointFound<T>(value: T | undefined, id: number): T {
  if (value === undefined) throw endpointNotFound(id);
  return value;
}
