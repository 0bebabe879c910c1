import { describe, expect, it } from 'vitest';
import {
  globMatch,
  ipInRange,
  matchScoreName,
  matchScores,
  maxPatternLength,
  osProfileMatchScore,
  osProfiles,
  parseIpAddress,
  parseIpRange,
  profileName,
  ruleMatchScore,
  ruleScoreCap,
  validateProfileRule,
  type ProfileEndpoint,
  type ProfileRule,
} from '../../src/domain/os-profile.js';

describe('osProfiles', () => {
  it.each([
    ['Windows11', '22H2', 'Windows11', 'Windows11_22H2'],
    ['Windows10', '1809', 'Windows10', 'Windows10_1809'],
    ['Windows10', '21H2', 'Windows10', 'Windows10_21H2'],
    ['WindowsServer2019', '1809', 'WindowsServer2019', 'WindowsServer2019_1809'],
    ['WindowsServer2022', null, 'WindowsServer2022', null],
    ['Linux', '22.04', 'Linux', 'Linux_22_04'],
    ['Ubuntu', null, 'Ubuntu', null],
    ['macOS', '14', 'macOS', 'macOS_14'],
    ['iOS', '17.2', 'iOS', 'iOS_17_2'],
    ['Android', '14', 'Android', 'Android_14'],
  ] as const)('%s %j should give OS %s and OS_VERSION %j', (platform, version, os, osVersion) => {
    expect(osProfiles(platform, version)).toEqual({ os, osVersion });
  });

  it.each([null, '', '   ', 'Unknown', 'unknown', 'Other', 'OTHER', ' --- '])(
    'should give no profile for the platform %j',
    (platform) => {
      expect(osProfiles(platform, '22H2', 22621)).toBeNull();
    },
  );

  it.each([null, '', ' ', 'Other', 'other', 'Unknown'])(
    'should give the OS profile only when the version is %j',
    (version) => {
      expect(osProfiles('Windows11', version)).toEqual({ os: 'Windows11', osVersion: null });
    },
  );

  it("should keep Defender's spelling of the platform", () => {
    expect(osProfiles('macOS', null)?.os).toBe('macOS');
    expect(osProfiles('windows11', '22H2')).toEqual({ os: 'windows11', osVersion: 'windows11_22H2' });
  });

  it('should make names safe: trim, and turn runs of other characters into one underscore', () => {
    expect(osProfiles('  Windows Server  2019 ', ' 1809 ')).toEqual({
      os: 'Windows_Server_2019',
      osVersion: 'Windows_Server_2019_1809',
    });
    expect(osProfiles('Red Hat/Enterprise.Linux', '9.3-beta')).toEqual({
      os: 'Red_Hat_Enterprise_Linux',
      osVersion: 'Red_Hat_Enterprise_Linux_9_3_beta',
    });
  });

  it('should read the Windows release from the build when the version is missing or Other', () => {
    expect(osProfiles('Windows10', null, 19045)?.osVersion).toBe('Windows10_22H2');
    expect(osProfiles('Windows10', 'Other', 17763)?.osVersion).toBe('Windows10_1809');
    expect(osProfiles('Windows11', 'Other', 22631)?.osVersion).toBe('Windows11_23H2');
    expect(osProfiles('Windows11', null, 22000)?.osVersion).toBe('Windows11_21H2');
  });

  it("should prefer Defender's version over the build", () => {
    expect(osProfiles('Windows11', '22H2', 22631)?.osVersion).toBe('Windows11_22H2');
  });

  it('should give no OS_VERSION for an unknown build or a platform without a build table', () => {
    expect(osProfiles('Windows11', null, 12345)).toEqual({ os: 'Windows11', osVersion: null });
    expect(osProfiles('Linux', null, 19045)).toEqual({ os: 'Linux', osVersion: null });
    expect(osProfiles('Windows10', null, null)).toEqual({ os: 'Windows10', osVersion: null });
  });
});

describe('profileName', () => {
  it.each([
    ['Windows11', 'Windows11'],
    ['Windows 11', 'Windows_11'],
    ['a  -  b', 'a_b'],
    ['__x__', 'x'],
    ['é', ''],
    ['10.0.17763.1637', '10_0_17763_1637'],
  ])('%j → %j', (text, name) => {
    expect(profileName(text)).toBe(name);
  });
});

describe('match scores', () => {
  it('should rank Very High > High > Medium > Low, with OS profiles at Very High', () => {
    expect(matchScores.VeryHigh).toBeGreaterThan(matchScores.High);
    expect(matchScores.High).toBeGreaterThan(matchScores.Medium);
    expect(matchScores.Medium).toBeGreaterThan(matchScores.Low);
    expect(osProfileMatchScore).toBe(matchScores.VeryHigh);
  });

  it.each([
    [100, 'VeryHigh'],
    [99, 'High'],
    [75, 'High'],
    [74, 'Medium'],
    [50, 'Medium'],
    [49, 'Low'],
    [25, 'Low'],
    [0, 'Low'],
  ] as const)('should call %i %s', (score, name) => {
    expect(matchScoreName(score)).toBe(name);
  });
});

describe('ruleMatchScore', () => {
  const endpoint: ProfileEndpoint = {
    osPlatform: 'Windows11',
    name: 'web-01.contoso.com',
    ipAddresses: ['10.1.2.3', 'fe80::1%eth0', '2001:db8:abcd:12::5'],
    tags: ['Prod', 'DMZ'],
    deviceGroup: 'Servers',
  };

  it('should not match with an empty rule, or one with only blank criteria', () => {
    expect(ruleMatchScore({}, endpoint)).toBeNull();
    expect(ruleMatchScore({ tag: '  ', os: '' }, endpoint)).toBeNull();
  });

  it.each<[ProfileRule, number]>([
    [{ os: 'Windows11' }, 35],
    [{ os: 'windows11' }, 35],
    [{ tag: 'prod' }, 35],
    [{ tag: ' DMZ ' }, 35],
    [{ deviceGroup: 'SERVERS' }, 35],
    [{ namePattern: 'web-01.contoso.com' }, 45],
    [{ namePattern: 'WEB-01' }, 45],
    [{ namePattern: 'web-*' }, 29],
    [{ namePattern: '*' }, 25],
    [{ namePattern: 'web-0?.contoso.*' }, 37],
    [{ ipRange: '10.1.2.3' }, 45],
    [{ ipRange: '10.1.2.3/32' }, 45],
    [{ ipRange: '10.1.2.0/24' }, 40],
    [{ ipRange: '10.1.0.0/16' }, 35],
    [{ ipRange: '10.0.0.0/8' }, 30],
    [{ ipRange: '0.0.0.0/0' }, 25],
    [{ ipRange: '10.1.2.0-10.1.2.255' }, 40],
    [{ ipRange: '10.1.2.1-10.1.2.5' }, 43], // 5 addresses fit a /29: round(20 × 29 / 32) = 18
    [{ ipRange: '2001:db8:abcd:12::/64' }, 35],
    [{ ipRange: '2001:DB8::/32' }, 30],
    [{ ipRange: 'fe80::/10' }, 27],
    [{ ipRange: '2001:db8:abcd:12::5/128' }, 45],
  ])('should score %j as %i', (rule, score) => {
    expect(ruleMatchScore(rule, endpoint)).toBe(score);
  });

  it.each<ProfileRule>([
    { os: 'Windows10' },
    { tag: 'Test' },
    { deviceGroup: 'Workstations' },
    { namePattern: 'db-*' },
    { namePattern: 'web-01.contoso' },
    { namePattern: 'web-0' },
    { ipRange: '10.1.3.0/24' },
    { ipRange: '192.168.0.0/16' },
    { ipRange: '2001:db8:abcd:13::/64' },
    { ipRange: '10.1.2.4-10.1.2.9' },
    { ipRange: 'not-an-ip' },
  ])('should not match %j', (rule) => {
    expect(ruleMatchScore(rule, endpoint)).toBeNull();
  });

  it('should fail the whole rule when any one given criterion fails', () => {
    expect(ruleMatchScore({ os: 'Windows11', tag: 'Prod' }, endpoint)).toBe(45);
    expect(ruleMatchScore({ os: 'Windows11', tag: 'Prod', deviceGroup: 'Laptops' }, endpoint)).toBeNull();
    expect(ruleMatchScore({ namePattern: 'web-*', ipRange: '192.168.0.0/16' }, endpoint)).toBeNull();
  });

  it('should score more criteria higher, and more specific ones higher', () => {
    const one = ruleMatchScore({ os: 'Windows11' }, endpoint)!;
    const two = ruleMatchScore({ os: 'Windows11', tag: 'Prod' }, endpoint)!;
    const exact = ruleMatchScore({ namePattern: 'web-01' }, endpoint)!;
    const wildcard = ruleMatchScore({ namePattern: 'web-*' }, endpoint)!;
    const narrow = ruleMatchScore({ ipRange: '10.1.2.0/28' }, endpoint)!;
    const wide = ruleMatchScore({ ipRange: '10.1.0.0/16' }, endpoint)!;
    expect(two).toBeGreaterThan(one);
    expect(exact).toBeGreaterThan(wildcard);
    expect(narrow).toBeGreaterThan(wide);
  });

  it('should stay below Very High even with every criterion at its most specific', () => {
    const score = ruleMatchScore(
      { os: 'Windows11', namePattern: 'web-01', ipRange: '10.1.2.3/32', tag: 'Prod', deviceGroup: 'Servers' },
      endpoint,
    );
    expect(score).toBe(95);
    expect(score).toBe(ruleScoreCap);
    expect(score!).toBeLessThan(matchScores.VeryHigh);
  });

  it('should cap a long wildcard pattern at its limit', () => {
    expect(ruleMatchScore({ namePattern: 'web-01.contoso.co*' }, endpoint)).toBe(37);
  });

  it('should not match an endpoint lacking what the rule asks for', () => {
    const bare: ProfileEndpoint = {
      osPlatform: null,
      name: null,
      ipAddresses: [],
      tags: [],
      deviceGroup: null,
    };
    expect(ruleMatchScore({ os: 'Unknown' }, { ...bare, osPlatform: 'Unknown' })).toBeNull();
    expect(ruleMatchScore({ os: 'Windows11' }, bare)).toBeNull();
    expect(ruleMatchScore({ namePattern: '*' }, bare)).toBeNull();
    expect(ruleMatchScore({ ipRange: '0.0.0.0/0' }, bare)).toBeNull();
    expect(ruleMatchScore({ tag: 'Prod' }, bare)).toBeNull();
    expect(ruleMatchScore({ deviceGroup: 'Servers' }, bare)).toBeNull();
  });

  it('should match an IPv4 rule against an IPv4-mapped IPv6 address, and skip unreadable addresses', () => {
    const mapped: ProfileEndpoint = { ...endpoint, ipAddresses: ['garbage', '::ffff:192.168.7.9'] };
    expect(ruleMatchScore({ ipRange: '192.168.7.0/24' }, mapped)).toBe(40);
  });

  it('should compare a rule os written with spaces to the profile name', () => {
    expect(
      ruleMatchScore({ os: 'Windows Server 2019' }, { ...endpoint, osPlatform: 'Windows Server 2019' }),
    ).toBe(35);
  });
});

describe('globMatch', () => {
  it.each([
    ['*', '', true],
    ['*', 'anything', true],
    ['', '', true],
    ['', 'a', false],
    ['a?c', 'abc', true],
    ['a?c', 'ac', false],
    ['a*c', 'ac', true],
    ['a*c', 'abbbc', true],
    ['a*c', 'abbbcd', false],
    ['*.contoso.com', 'web.contoso.com', true],
    ['*.CONTOSO.com', 'Web.Contoso.Com', true],
    ['web-??', 'web-01', true],
    ['web-??', 'web-1', false],
    ['*a*b', 'xaxxb', true],
    ['*a*b', 'xaxxbc', false],
    ['a**b', 'ab', true],
    ['?', 'é', true],
  ])('%j on %j should be %s', (pattern, text, matches) => {
    expect(globMatch(pattern, text)).toBe(matches);
  });

  it('should stay fast on a pattern that makes a regular expression backtrack', () => {
    const started = performance.now();
    expect(globMatch(`${'*a'.repeat(20)}b`, 'a'.repeat(250))).toBe(false);
    expect(performance.now() - started).toBeLessThan(500);
  });
});

describe('parseIpAddress', () => {
  it.each([
    ['10.0.0.1', 4, 0x0a000001n],
    ['0.0.0.0', 4, 0n],
    ['255.255.255.255', 4, 0xffffffffn],
    ['::', 6, 0n],
    ['::1', 6, 1n],
    ['2001:db8::', 6, 0x20010db8n << 96n],
    ['2001:0DB8:0000:0000:0000:0000:0000:0001', 6, (0x20010db8n << 96n) | 1n],
    ['1:2:3:4:5:6:7::', 6, 0x0001000200030004000500060007_0000n],
    ['::2:3:4:5:6:7:8', 6, 0x0000000200030004000500060007_0008n],
    ['64:ff9b::192.0.2.33', 6, (0x64ff9bn << 96n) | 0xc0000221n],
    ['::ffff:10.0.0.1', 4, 0x0a000001n],
  ] as const)('should read %j', (text, family, value) => {
    expect(parseIpAddress(text)).toEqual({ family, value });
  });

  it.each([
    '',
    '10.0.0',
    '10.0.0.256',
    '10.0.0.01',
    '10.0.0.1.1',
    '1.2.3.-4',
    ':::',
    '1::2::3',
    '1:2:3:4:5:6:7:8:9',
    '1:2:3:4:5:6:7',
    '1:2:3:4:5:6:7:8::',
    '12345::',
    'g::1',
    '::1.2.3',
    'fe80::1%eth0',
  ])('should refuse %j', (text) => {
    expect(parseIpAddress(text)).toBeUndefined();
  });

  it('should drop a zone id only when allowed', () => {
    expect(parseIpAddress('fe80::1%eth0', { allowZone: true })).toEqual({
      family: 6,
      value: (0xfe80n << 112n) | 1n,
    });
    expect(parseIpAddress('10.0.0.1%eth0', { allowZone: true })).toBeUndefined();
  });
});

describe('parseIpRange', () => {
  it('should read an IPv4 CIDR, ignoring host bits', () => {
    expect(parseIpRange('10.1.2.3/16')).toEqual({
      ok: true,
      range: { family: 4, first: 0x0a010000n, last: 0x0a01ffffn, prefixLength: 16 },
    });
  });

  it('should read an IPv6 CIDR', () => {
    const parsed = parseIpRange(' 2001:db8::/32 ');
    expect(parsed).toEqual({
      ok: true,
      range: { family: 6, first: 0x20010db8n << 96n, last: (0x20010db9n << 96n) - 1n, prefixLength: 32 },
    });
  });

  it('should read an IPv4 a-b range as the prefix of the smallest block it fits in', () => {
    expect(parseIpRange('10.0.0.1 - 10.0.0.1')).toEqual({
      ok: true,
      range: { family: 4, first: 0x0a000001n, last: 0x0a000001n, prefixLength: 32 },
    });
    const parsed = parseIpRange('10.0.0.0-10.0.1.0');
    expect(parsed.ok && parsed.range.prefixLength).toBe(23);
  });

  it('should read a single address as a one-address range', () => {
    expect(parseIpRange('::1')).toEqual({
      ok: true,
      range: { family: 6, first: 1n, last: 1n, prefixLength: 128 },
    });
  });

  it.each([
    ['', 'an empty range'],
    ['10.0.0.0/33', 'prefix length 33 is out of range for IPv4 (0-32)'],
    ['fd00::/129', 'prefix length 129 is out of range for IPv6 (0-128)'],
    ['10.0.0.0/', 'prefix length "" is not a number'],
    ['10.0.0.0/x', 'prefix length "x" is not a number'],
    ['10.0.0.0/8/8', 'a CIDR has one "/", this has more'],
    ['300.0.0.0/8', '"300.0.0.0" is not an IPv4 or IPv6 address'],
    ['10.0.0.9-10.0.0.1', 'range start 10.0.0.9 is after its end 10.0.0.1'],
    ['fd00::1-fd00::9', 'ranges (a-b) are IPv4 only; write IPv6 as CIDR (e.g. fd00::/64)'],
    ['10.0.0.1-10.0.0.x', '"10.0.0.x" is not an IPv4 address'],
    ['10.0.0.1-10.0.0.2-10.0.0.3', 'a range needs exactly one "-" between two IPv4 addresses'],
    ['host.example', '"host.example" is not an IPv4 or IPv6 address'],
  ])('should refuse %j: %s', (text, error) => {
    expect(parseIpRange(text)).toEqual({ ok: false, error });
  });

  it('should keep families apart', () => {
    const v4 = parseIpRange('0.0.0.0/0');
    const v6 = parseIpRange('::/0');
    if (!v4.ok || !v6.ok) throw new Error('expected both ranges to parse');
    expect(ipInRange({ family: 6, value: 5n }, v4.range)).toBe(false);
    expect(ipInRange({ family: 4, value: 5n }, v6.range)).toBe(false);
    expect(ipInRange({ family: 4, value: 5n }, v4.range)).toBe(true);
  });
});

describe('validateProfileRule', () => {
  it('should accept a valid rule', () => {
    expect(validateProfileRule({ os: 'Windows11', namePattern: 'web-*', ipRange: '10.0.0.0/8' })).toEqual([]);
    expect(validateProfileRule({ ipRange: 'fd00::/64' })).toEqual([]);
  });

  it('should refuse an empty rule', () => {
    expect(validateProfileRule({})).toEqual([
      'a profile rule needs at least one criterion: os, namePattern, ipRange, tag or deviceGroup',
    ]);
  });

  it('should refuse blank criteria by name', () => {
    expect(validateProfileRule({ tag: ' ', deviceGroup: '' })).toEqual([
      'tag is blank; remove it or give a value',
      'deviceGroup is blank; remove it or give a value',
    ]);
  });

  it('should refuse an over-long pattern', () => {
    expect(maxPatternLength).toBe(255);
    expect(validateProfileRule({ namePattern: 'a'.repeat(255) })).toEqual([]);
    expect(validateProfileRule({ namePattern: 'a'.repeat(256) })).toEqual([
      'namePattern is 256 characters long; the limit is 255',
    ]);
    expect(validateProfileRule({ tag: 'a'.repeat(300) })).toEqual([
      'tag is 300 characters long; the limit is 255',
    ]);
  });

  it('should name the fault in a bad CIDR or range', () => {
    expect(validateProfileRule({ ipRange: '10.0.0.0/40' })).toEqual([
      'ipRange "10.0.0.0/40": prefix length 40 is out of range for IPv4 (0-32)',
    ]);
    expect(validateProfileRule({ ipRange: '10.0.0.5-10.0.0.1' })).toEqual([
      'ipRange "10.0.0.5-10.0.0.1": range start 10.0.0.5 is after its end 10.0.0.1',
    ]);
    expect(validateProfileRule({ os: 'Linux', ipRange: '2001:db8::g/64' })).toEqual([
      'ipRange "2001:db8::g/64": "2001:db8::g" is not an IPv4 or IPv6 address',
    ]);
  });

  it('should report every problem at once', () => {
    expect(validateProfileRule({ namePattern: 'x'.repeat(256), ipRange: 'nope', tag: '' })).toHaveLength(3);
  });
});
