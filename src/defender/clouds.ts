/**
 * How the Defender client reaches a cloud's services: which token audience each host wants, and which sign-in
 * hosts are Microsoft's. The clouds and their hosts themselves are domain data (domain/clouds.ts).
 */
import { clouds, type CloudName } from '../domain/clouds.js';

/** Azure Resource Manager's public hosts; each is its own token audience. */
const armHosts = ['management.azure.com', 'management.usgovcloudapi.net', 'management.chinacloudapi.cn'];

/**
 * The token audience for an ARM base URL: a Microsoft ARM host is its own (so a sovereign armBaseUrl signs in
 * for its cloud even with a commercial Defender host); anything else (a proxy, the simulator) gets `fallback`,
 * the Defender host's cloud's ARM.
 */
export function armAudienceOf(armBaseUrl: string | undefined, fallback: string): string {
  if (armBaseUrl === undefined) return fallback;
  const url = new URL(armBaseUrl);
  return armHosts.includes(url.hostname) ? url.origin : fallback;
}

/**
 * Where the Microsoft 365 Defender API is for a Defender API base URL: Microsoft's own hosts (any region) share
 * their cloud's one; any other host (a proxy, the simulator) serves it beside the Defender API.
 */
export function xdrBaseUrlOf(apiBaseUrl: string, cloud: CloudName): string {
  const host = new URL(apiBaseUrl).hostname;
  return host.endsWith('.microsoft.com') || host.endsWith('.microsoft.us')
    ? clouds[cloud].xdrBaseUrl
    : apiBaseUrl;
}

/** Microsoft's own sign-in hosts; any other authority needs instance discovery switched off. */
export function isMicrosoftAuthorityHost(authorityHost: string): boolean {
  const host = new URL(authorityHost).hostname;
  return [
    'login.microsoftonline.com',
    'login.microsoftonline.us',
    'login.windows.net',
    'login.chinacloudapi.cn',
  ].includes(host);
}
