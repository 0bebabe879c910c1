/**
 * Where a stored alert or incident was read from: Microsoft Graph security (`graph`), Defender for Endpoint's own
 * `/api/alerts` (`mde`) or the Microsoft 365 Defender incidents API (`xdr`).
 */
export const activitySources = ['graph', 'mde', 'xdr'] as const;
export type ActivitySource = (typeof activitySources)[number];

type Text = string | null | undefined;

/** Words Defender's own APIs use where Graph has another one (Graph writes "no value" as `unknown`). */
const renamedWords: Readonly<Record<string, string>> = {
  UnSpecified: 'unknown',
  NotAvailable: 'unknown',
};

/**
 * A Defender enum word (`InProgress`, `High`, `TruePositive`) in Graph's camelCase (`inProgress`, `high`,
 * `truePositive`). Stored alerts and incidents keep Graph's words whatever their source, so the filters, the
 * dashboard counts and the risk rules read one vocabulary. Graph's own words pass unchanged.
 */
export function graphEnumWord(value: Text): string | null {
  if (value === null || value === undefined || value === '') return null;
  return renamedWords[value] ?? value.charAt(0).toLowerCase() + value.slice(1);
}

/** MDE detection sources whose Graph `detectionSource` member is not simply their camelCase form. */
const detectionSources: Readonly<Record<string, string>> = {
  WindowsDefenderAtp: 'microsoftDefenderForEndpoint',
  WindowsDefenderAv: 'antivirus',
  WindowsDefenderSmartScreen: 'smartScreen',
  CustomerTI: 'customTi',
  // Microsoft Threat Protection, Microsoft 365 Defender's former name.
  MTP: 'microsoft365Defender',
};

/** An `/api/alerts` detection source (`WindowsDefenderAv`) as Graph names it (`antivirus`). */
export function graphDetectionSource(value: Text): string | null {
  if (value === null || value === undefined || value === '') return null;
  return detectionSources[value] ?? graphEnumWord(value);
}
