import { InvalidArgumentError } from 'commander';

/** Commander parser for a whole-number flag within bounds, with a message that names the flag's rule. */
export function wholeNumber(min: number, max = Number.MAX_SAFE_INTEGER): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min || n > max) {
      throw new InvalidArgumentError(`expected a whole number from ${min} to ${max}, got "${value}".`);
    }
    return n;
  };
}

/** Commander parser for a number above 0 and at most `max`, fractions allowed. */
export function positiveNumber(max: number): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (value.trim() === '' || !(n > 0 && n <= max)) {
      throw new InvalidArgumentError(`expected a number above 0 and at most ${max}, got "${value}".`);
    }
    return n;
  };
}
