/**
 * Whether a vulnerability can be exploited over the network, from its CVSS vector's Attack Vector metric
 * (`AV:N`, Network: "remotely exploitable"; `A` adjacent network, `L` local, `P` physical are not). Defender's
 * catalog gives the CVSS v3 vector as `CVSS:3.0/AV:N/AC:L/…`; v2 and v4 vectors write the metric the same way.
 *
 * True for `AV:N`, false for another attack vector, null when the vector is missing or names none (nothing is
 * known: a filter on the field leaves such a CVE out either way). Metric names and values compare ignoring case.
 * The migration that added the column (0019) backfills with the same rule in SQL.
 */
export function isNetworkAccessible(cvssVector: string | null | undefined): boolean | null {
  if (cvssVector == null) return null;
  const metric = cvssVector
    .trim()
    .toUpperCase()
    .split('/')
    .find((part) => part.startsWith('AV:'));
  switch (metric) {
    case 'AV:N':
      return true;
    case 'AV:A':
    case 'AV:L':
    case 'AV:P':
      return false;
    default:
      return null;
  }
}
