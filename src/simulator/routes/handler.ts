import type { Exchange } from '../http/exchange.js';
import type { SimState } from '../state.js';

/** A route handler; `params` are the pattern's capture groups, URL-decoded. */
export type Handler = (state: SimState, ex: Exchange, params: readonly string[]) => Promise<void>;
