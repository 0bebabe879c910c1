/**
 * The permission sets the vendors of Defender integrations document, as adopters bring them: the simulator grants
 * exactly these roles in the tests that ask how the hub does with each.
 */

/** A patch tool: the vulnerability export and catalog only. */
export const patchTool = ['Vulnerability.Read.All'];

/** Asset and vulnerability management. */
export const assetAndVulnerability = ['Machine.Read.All', 'Vulnerability.Read.All'];

/** Endpoint analytics products. */
export const endpointAnalytics = [
  'Machine.Read.All',
  'Machine.ReadWrite.All',
  'Alert.Read.All',
  'Alert.ReadWrite.All',
  'Vulnerability.Read.All',
  'Software.Read.All',
  'AdvancedQuery.Read.All',
  'Machine.Isolate',
  'Machine.Scan',
];

/** Security platforms add Microsoft Threat Protection's incidents, the exposure score and two Graph reads. */
export const securityPlatform = [
  ...endpointAnalytics,
  'Incident.Read.All',
  'Score.Read.All',
  'Application.Read.All',
  'Device.Read.All',
];
