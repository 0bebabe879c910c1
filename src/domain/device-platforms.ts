/**
 * What kind of device an `osPlatform` names. Defender does not enumerate the values, and spells one platform
 * several ways over time and across sources (`Fire OS`, `FireOS`; `AndroidEnterprise`, `Android Enterprise`;
 * `iOS`, `iPadOS`), so a platform is compared by its letters and digits only, ignoring case, spaces and
 * punctuation.
 */

/** Lower-case letters and digits only: `Fire OS`, `fire_os` and `FireOS` are all `fireos`. */
function platformKey(osPlatform: string): string {
  return osPlatform.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/**
 * Phone and tablet operating systems Defender for Endpoint (on Android and iOS) and Intune report. Every
 * Android flavour (Enterprise, ForWork, AOSP, device administrator, Go, …) starts with `android` and is matched
 * by that prefix; Amazon's Fire OS is an Android fork with a name of its own.
 */
const mobileKeys = new Set([
  'ios',
  'ipados',
  'iphone',
  'ipad',
  'fireos',
  'amazonfireos',
  'aosp',
  'windowsmobile',
  'windowsphone',
  'tvos',
  'watchos',
  'visionos',
  'harmonyos',
  'blackberry',
]);

/** Platforms Defender reports for discovered devices that are not computers (cameras, printers, appliances). */
const iotKeys = new Set(['other', 'unknown', 'iot', 'linuxiot', 'embeddedlinux']);
const iotParts = ['camera', 'printer'];

export function isMobilePlatform(osPlatform: string): boolean {
  const key = platformKey(osPlatform);
  return key.startsWith('android') || mobileKeys.has(key);
}

export function isIotPlatform(osPlatform: string): boolean {
  const key = platformKey(osPlatform);
  return iotKeys.has(key) || iotParts.some((part) => key.includes(part));
}

/**
 * Neither a patchable computer nor a server: a phone, a tablet or an IoT device. An absent or empty platform is
 * not one of them (the machine may be a computer Defender has not classified yet).
 */
export function isMobileOrIotPlatform(osPlatform: string | null | undefined): boolean {
  if (osPlatform == null || osPlatform.trim() === '') return false;
  return isMobilePlatform(osPlatform) || isIotPlatform(osPlatform);
}
