import { ApiError } from './api-error.js';
import type { Query } from './exchange.js';

export interface PageRequest {
  readonly top: number;
  readonly skip: number;
}

function wholeNumber(query: Query, name: string): number | undefined {
  const raw = query.get(name);
  if (raw === undefined) return undefined;
  if (!/^\d+$/.test(raw.trim()))
    throw new ApiError(
      400,
      'BadRequest',
      `Invalid value '${raw}' for ${name}: expected a non-negative whole number.`,
    );
  return Number(raw);
}

/** `$top`/`$skip` with the service's cap; a `$top` over the cap is refused with OData's own message. */
export function pageRequest(query: Query, maxTop: number, defaultTop: number): PageRequest {
  const top = wholeNumber(query, '$top') ?? defaultTop;
  if (top > maxTop) {
    throw new ApiError(
      400,
      'BadRequest',
      `The limit of '${maxTop}' for Top query has been exceeded. The value from the incoming request is '${top}'.`,
    );
  }
  return { top, skip: wholeNumber(query, '$skip') ?? 0 };
}

/** A whole-number query parameter within [min, max], or its default. */
export function boundedNumber(
  query: Query,
  name: string,
  min: number,
  max: number,
  fallback: number,
): number {
  const value = wholeNumber(query, name) ?? fallback;
  if (value < min || value > max)
    throw new ApiError(400, 'BadRequest', `${name} must be between ${min} and ${max}, got ${value}.`);
  return value;
}

export interface OrderBy {
  readonly field: string;
  readonly descending: boolean;
}

/** `$orderby=field [asc|desc]` over the fields a list allows. */
export function orderBy(query: Query, allowed: readonly string[]): OrderBy | undefined {
  const raw = query.get('$orderby');
  if (raw === undefined) return undefined;
  const [field = '', direction = 'asc', ...rest] = raw.trim().split(/\s+/);
  const match = allowed.find((name) => name.toLowerCase() === field.toLowerCase());
  if (match === undefined || rest.length > 0 || !/^(asc|desc)$/i.test(direction)) {
    throw new ApiError(
      400,
      'BadRequest',
      `Invalid $orderby '${raw}': order by one of ${allowed.join(', ')}, optionally followed by asc or desc.`,
    );
  }
  return { field: match, descending: direction.toLowerCase() === 'desc' };
}

/** The positions of a page in a list of `total`: what `$skip`/`$top` select. */
export function pageSlice(total: number, page: PageRequest): { readonly from: number; readonly to: number } {
  const from = Math.min(total, page.skip);
  return { from, to: Math.min(total, from + page.top) };
}
