import { describe, expect, it } from 'vitest';
import { isNetworkAccessible } from '../../src/domain/attack-vector.js';

describe('isNetworkAccessible', () => {
  it.each<[string | null | undefined, boolean | null]>([
    // Defender's catalog (the fixtures' vector) and the simulator's.
    ['CVSS:3.0/AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H/E:U/RL:O/RC:C', true],
    ['CVSS:3.1/AV:N/AC:H/PR:L/UI:N/S:C/C:L/I:N/A:N', true],
    ['CVSS:3.1/AV:A/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', false],
    ['CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H', false],
    ['CVSS:3.1/AV:P/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N', false],
    // CVSS v2 and v4 write the metric the same way.
    ['AV:N/AC:L/Au:N/C:P/I:P/A:P', true],
    ['CVSS:4.0/AV:L/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N', false],
    // Case and surrounding blanks do not matter.
    [' cvss:3.1/av:n/ac:l/pr:n/ui:n/s:u/c:h/i:h/a:h ', true],
    // Nothing known: no vector, an empty one, one without the metric or with a value CVSS does not define.
    [null, null],
    [undefined, null],
    ['', null],
    ['CVSS:3.1/AC:L/PR:N', null],
    ['CVSS:3.1/AV:X/AC:L', null],
    ['CVSS:3.1/AV:NETWORK/AC:L', null],
    ['not a vector', null],
  ])('%j is %j', (vector, expected) => {
    expect(isNetworkAccessible(vector)).toBe(expected);
  });
});
