import type { EndpointSummary } from './api-types.js';

type IsolationState = EndpointSummary['isolation']['state'];

/** The isolation states in words; the API's names stay in the URL (?isolation=notIsolated). */
export const isolationLabels: Readonly<Record<IsolationState, string>> = {
  isolated: 'Isolated',
  notIsolated: 'Not isolated',
  pending: 'Pending',
};
