import { describe, expect, it } from 'vitest';
import {
  aggregatePatchMetadata,
  patchKey,
  PatchMetadataAccumulator,
  type PatchFindingInput,
  type PatchKeyInput,
} from '../../src/domain/patch-metadata.js';

const row = (fields: Partial<PatchKeyInput>): PatchKeyInput => ({
  softwareVendor: 'microsoft',
  softwareName: 'windows_11',
  fixingUpdate: null,
  fixingUpdateId: null,
  ...fields,
});

describe('patchKey', () => {
  it('should key a KB update by vendor, product and KB number', () => {
    expect(patchKey(row({ fixingUpdateId: '5034441', fixingUpdate: 'January 2024 Security Updates' }))).toBe(
      'microsoft|windows_11|kb:5034441',
    );
  });

  it.each(['KB5034441', 'kb5034441', ' 5034441 ', 'KB 5034441'])(
    'should read the update id %j as the same KB',
    (fixingUpdateId) => {
      expect(patchKey(row({ fixingUpdateId }))).toBe('microsoft|windows_11|kb:5034441');
    },
  );

  it('should give one key for the same update written with different case and spacing', () => {
    const a = patchKey(
      row({ softwareVendor: 'Microsoft', softwareName: 'Windows 11', fixingUpdateId: 'KB5034441' }),
    );
    const b = patchKey(
      row({ softwareVendor: ' microsoft ', softwareName: 'windows_11', fixingUpdateId: '5034441' }),
    );
    expect(a).toBe(b);
  });

  it('should prefer the update id over the text, so rows with differing text share a patch', () => {
    const a = patchKey(row({ fixingUpdateId: '5034441', fixingUpdate: 'January 2024 Security Updates' }));
    const b = patchKey(row({ fixingUpdateId: '5034441', fixingUpdate: 'Cumulative update for Windows 11' }));
    expect(a).toBe(b);
  });

  it('should keep an update id that is not a KB number, marked as an id', () => {
    expect(
      patchKey(row({ softwareVendor: 'google', softwareName: 'chrome', fixingUpdateId: '120.0.6099.71' })),
    ).toBe('google|chrome|id:120.0.6099.71');
  });

  it('should fall back to the recommended update text, lower case with whitespace collapsed', () => {
    const key = patchKey(
      row({
        softwareVendor: 'google',
        softwareName: 'chrome',
        fixingUpdate: '  Update  Chrome to\tversion 120.0.6099.71 ',
      }),
    );
    expect(key).toBe('google|chrome|update:update chrome to version 120.0.6099.71');
    expect(
      patchKey(
        row({
          softwareVendor: 'Google',
          softwareName: 'Chrome',
          fixingUpdate: 'update chrome to version 120.0.6099.71',
        }),
      ),
    ).toBe(key);
  });

  it.each([
    [null, null],
    ['', ''],
    ['   ', '\t'],
  ])('should give null when the finding names no fix (id %j, text %j)', (fixingUpdateId, fixingUpdate) => {
    expect(patchKey(row({ fixingUpdateId, fixingUpdate }))).toBeNull();
  });

  it('should use the text when the update id is blank', () => {
    expect(patchKey(row({ fixingUpdateId: ' ', fixingUpdate: 'Upgrade to 2.0' }))).toBe(
      'microsoft|windows_11|update:upgrade to 2.0',
    );
  });

  it('should tell the same KB apart on different products', () => {
    expect(patchKey(row({ fixingUpdateId: '5034441' }))).not.toBe(
      patchKey(row({ softwareName: 'windows_10', fixingUpdateId: '5034441' })),
    );
  });

  it('should leave an empty segment for a missing vendor or product', () => {
    expect(patchKey(row({ softwareVendor: null, softwareName: null, fixingUpdateId: '1' }))).toBe('||kb:1');
  });

  it('should escape separators so different findings cannot share a key', () => {
    const a = patchKey(row({ softwareVendor: 'a|b', softwareName: 'c', fixingUpdateId: '1' }));
    const b = patchKey(row({ softwareVendor: 'a', softwareName: 'b|c', fixingUpdateId: '1' }));
    expect(a).toBe('a%7cb|c|kb:1');
    expect(b).toBe('a|b%7cc|kb:1');
    expect(patchKey(row({ softwareVendor: '%7c', softwareName: 'x', fixingUpdateId: '1' }))).toBe(
      '%257c|x|kb:1',
    );
  });
});

const finding = (
  severity: string | null,
  exploitabilityLevel: string | null,
  updateAvailable: boolean | null,
): PatchFindingInput => ({ severity, exploitabilityLevel, updateAvailable });

describe('aggregatePatchMetadata', () => {
  it('should know nothing about a patch without findings', () => {
    expect(aggregatePatchMetadata([])).toEqual({
      'Defender.SeverityLevel': null,
      'Defender.ExploitabilityLevel': null,
      'Defender.KnownExploitExists': false,
      'Defender.SecurityUpdateAvailable': false,
    });
  });

  it('should take the highest severity and exploitability over the findings', () => {
    expect(
      aggregatePatchMetadata([
        finding('Medium', 'ExploitIsVerified', true),
        finding('Critical', 'NoExploit', true),
        finding('Low', 'ExploitIsPublic', true),
      ]),
    ).toEqual({
      'Defender.SeverityLevel': 'Critical',
      'Defender.ExploitabilityLevel': 'ExploitIsVerified',
      'Defender.KnownExploitExists': true,
      'Defender.SecurityUpdateAvailable': true,
    });
  });

  it('should report no known exploit when every finding says NoExploit', () => {
    const result = aggregatePatchMetadata([
      finding('High', 'NoExploit', false),
      finding('Low', 'NoExploit', null),
    ]);
    expect(result['Defender.ExploitabilityLevel']).toBe('NoExploit');
    expect(result['Defender.KnownExploitExists']).toBe(false);
  });

  it.each(['ExploitIsPublic', 'ExploitIsVerified', 'ExploitIsInKit'])(
    'should report a known exploit when one finding says %s',
    (level) => {
      const result = aggregatePatchMetadata([finding('Low', 'NoExploit', null), finding('Low', level, null)]);
      expect(result['Defender.KnownExploitExists']).toBe(true);
      expect(result['Defender.ExploitabilityLevel']).toBe(level);
    },
  );

  it.each([
    [[true, false, null], true],
    [[false, null, true], true],
    [[false, false], false],
    [[null, null], false],
    [[null, false], false],
  ] as const)('should say update available for %j: %s', (flags, expected) => {
    const result = aggregatePatchMetadata(flags.map((flag) => finding('High', 'NoExploit', flag)));
    expect(result['Defender.SecurityUpdateAvailable']).toBe(expected);
  });

  it('should read mixed case and ignore unknown words', () => {
    expect(
      aggregatePatchMetadata([
        finding('high', 'exploitisinkit', null),
        finding('Informational', 'Weaponized', null),
        finding(null, null, null),
      ]),
    ).toEqual({
      'Defender.SeverityLevel': 'High',
      'Defender.ExploitabilityLevel': 'ExploitIsInKit',
      'Defender.KnownExploitExists': true,
      'Defender.SecurityUpdateAvailable': false,
    });
  });

  it('should accept any iterable, such as a generator', () => {
    function* rows(): Generator<PatchFindingInput> {
      yield finding('Low', null, null);
      yield finding('Medium', 'ExploitIsPublic', true);
    }
    expect(aggregatePatchMetadata(rows())['Defender.SeverityLevel']).toBe('Medium');
  });
});

describe('PatchMetadataAccumulator', () => {
  it('should give the same result as the batch aggregation, one finding at a time', () => {
    const findings = [
      finding('Low', 'NoExploit', null),
      finding('High', 'ExploitIsPublic', false),
      finding('Medium', 'ExploitIsInKit', true),
      finding('critical', null, null),
    ];
    const accumulator = new PatchMetadataAccumulator();
    for (const f of findings) accumulator.add(f);
    expect(accumulator.result()).toEqual(aggregatePatchMetadata(findings));
    expect(accumulator.result()['Defender.SeverityLevel']).toBe('Critical');
    expect(accumulator.count).toBe(4);
  });

  it('should start empty and keep accumulating after a result is read', () => {
    const accumulator = new PatchMetadataAccumulator();
    expect(accumulator.count).toBe(0);
    expect(accumulator.result()['Defender.SeverityLevel']).toBeNull();
    accumulator.add(finding('Low', 'NoExploit', null));
    expect(accumulator.result()['Defender.SeverityLevel']).toBe('Low');
    expect(accumulator.result()['Defender.SecurityUpdateAvailable']).toBe(false);
    accumulator.add(finding('High', 'ExploitIsVerified', true)).add(finding('Medium', 'NoExploit', false));
    expect(accumulator.result()).toEqual({
      'Defender.SeverityLevel': 'High',
      'Defender.ExploitabilityLevel': 'ExploitIsVerified',
      'Defender.KnownExploitExists': true,
      'Defender.SecurityUpdateAvailable': true,
    });
    expect(accumulator.count).toBe(3);
  });

  it('should not lower what it has seen when a weaker finding follows', () => {
    const accumulator = new PatchMetadataAccumulator()
      .add(finding('Critical', 'ExploitIsInKit', true))
      .add(finding('Low', 'NoExploit', false));
    expect(accumulator.result()['Defender.SeverityLevel']).toBe('Critical');
    expect(accumulator.result()['Defender.ExploitabilityLevel']).toBe('ExploitIsInKit');
    expect(accumulator.result()['Defender.SecurityUpdateAvailable']).toBe(true);
  });
});
