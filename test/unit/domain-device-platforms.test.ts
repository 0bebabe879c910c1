import { describe, expect, it } from 'vitest';
import { isIotPlatform, isMobileOrIotPlatform, isMobilePlatform } from '../../src/domain/device-platforms.js';
import { endpointDropReason, dropReasons } from '../../src/sync/endpoint-filter.js';
import { filtersSchema } from '../../src/integrations/integration-schema.js';
import type { Machine } from '../../src/defender/index.js';

/** Every spelling of a phone or tablet OS that Defender (and Intune, whose records it joins) writes. */
const mobileSpellings = [
  'iOS',
  'IOS',
  'iPadOS',
  'ipados',
  'Android',
  'android',
  'AndroidEnterprise',
  'Android Enterprise',
  'androidEnterprise',
  'AndroidForWork',
  'AndroidAOSP',
  'AndroidDeviceAdministrator',
  'Android_Enterprise',
  'Fire OS',
  'FireOS',
  'fireos',
  'Fire_OS',
  'Amazon Fire OS',
  'AOSP',
  'WindowsMobile',
  'Windows Phone',
  'tvOS',
  'watchOS',
  'visionOS',
  'HarmonyOS',
  'BlackBerry',
];

const iotSpellings = ['Other', 'Unknown', 'IoT', 'LinuxIoT', 'Embedded Linux', 'IP camera', 'NetworkPrinter'];

/** Computers and servers: never dropped as mobile or IoT. */
const computerSpellings = [
  'Windows10',
  'Windows11',
  'WindowsServer2019',
  'WindowsServer2022',
  'Windows7',
  'macOS',
  'Linux',
  'Ubuntu',
  'RedHatEnterpriseLinux',
  'ChromeOS',
];

const machine = (change: Partial<Machine>): Machine => ({
  id: 'a'.repeat(40),
  computerDnsName: 'host.contoso.com',
  lastIpAddress: '10.0.0.1',
  onboardingStatus: 'Onboarded',
  ...change,
});

describe('device platforms', () => {
  it.each(mobileSpellings)('should know %s as a mobile platform', (osPlatform) => {
    expect(isMobilePlatform(osPlatform)).toBe(true);
    expect(isIotPlatform(osPlatform)).toBe(false);
    expect(isMobileOrIotPlatform(osPlatform)).toBe(true);
  });

  it.each(iotSpellings)('should know %s as an IoT platform', (osPlatform) => {
    expect(isIotPlatform(osPlatform)).toBe(true);
    expect(isMobileOrIotPlatform(osPlatform)).toBe(true);
  });

  it.each(computerSpellings)('should not take %s for a mobile or IoT platform', (osPlatform) => {
    expect(isMobileOrIotPlatform(osPlatform)).toBe(false);
  });

  it('should not take a missing or empty platform for one (Defender may not have classified it yet)', () => {
    expect(isMobileOrIotPlatform(null)).toBe(false);
    expect(isMobileOrIotPlatform(undefined)).toBe(false);
    expect(isMobileOrIotPlatform(' ')).toBe(false);
  });
});

describe('the import filter on platforms', () => {
  const defaults = filtersSchema.parse({});

  it.each([...mobileSpellings, ...iotSpellings])('should drop %s by default', (osPlatform) => {
    expect(endpointDropReason(machine({ osPlatform }), defaults)).toBe(dropReasons.mobileOrIot);
  });

  it.each(mobileSpellings)('should keep %s when mobile and IoT devices are kept', (osPlatform) => {
    expect(endpointDropReason(machine({ osPlatform }), { ...defaults, dropMobileAndIot: false })).toBe(
      undefined,
    );
  });

  it.each(computerSpellings)('should import %s', (osPlatform) => {
    expect(endpointDropReason(machine({ osPlatform }), defaults)).toBe(undefined);
  });

  it('should import a discovered-only device by default and drop it when only Onboarded is kept', () => {
    const discovered = machine({ osPlatform: 'Windows10', onboardingStatus: 'CanBeOnboarded' });
    expect(endpointDropReason(discovered, defaults)).toBe(undefined);
    expect(endpointDropReason(discovered, { ...defaults, onboardingStatuses: ['Onboarded'] })).toBe(
      dropReasons.onboardingStatus,
    );
    // Defender's documentation writes `onboarded` in lower case too.
    expect(
      endpointDropReason(machine({ onboardingStatus: 'onboarded' }), {
        ...defaults,
        onboardingStatuses: ['Onboarded'],
      }),
    ).toBe(undefined);
  });
});
