import type { EndpointSummary, EntraFilterValue, IntegrationStatus } from './api-types.js';

type IsolationState = EndpointSummary['isolation']['state'];

/** The isolation states in words; the API's names stay in the URL (?isolation=notIsolated). */
export const isolationLabels: Readonly<Record<IsolationState, string>> = {
  isolated: 'Isolated',
  notIsolated: 'Not isolated',
  pending: 'Pending',
};

type EntraDeviceRef = NonNullable<EndpointSummary['entraDevice']>;

/** How a device is joined to Entra ID, in the words of the Entra admin center. */
export const entraJoinLabels: Readonly<Record<EntraDeviceRef['joinType'], string>> = {
  joined: 'Microsoft Entra joined',
  hybridJoined: 'Microsoft Entra hybrid joined',
  registered: 'Microsoft Entra registered',
};

/** The endpoint list's `entra=` values in words: a join type, or no device in the directory. */
export const entraFilterLabels: Readonly<Record<EntraFilterValue, string>> = {
  ...entraJoinLabels,
  none: 'Not in Entra ID',
};

/** Intune compliance as a word: null means the device is not managed, so there is no verdict. */
export function complianceLabel(isCompliant: boolean | null): string {
  return isCompliant === null ? 'Not evaluated' : isCompliant ? 'Compliant' : 'Not compliant';
}

export const yesNo = (v: boolean | null): string => (v === null ? '—' : v ? 'Yes' : 'No');

/** Integrations' connection states in words, in the order they ask for a look: failing first. */
export const connectionStates: readonly { value: IntegrationStatus['state']; label: string }[] = [
  { value: 'failing', label: 'Failing' },
  { value: 'notSynced', label: 'Not synced yet' },
  { value: 'limited', label: 'Connected — limited' },
  { value: 'connected', label: 'Connected' },
  { value: 'disabled', label: 'Disabled' },
];
