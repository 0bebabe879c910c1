/**
 * A strict reader of the Prometheus text exposition format (0.0.4), for tests: it throws on anything a
 * Prometheus server would refuse, and on what it would accept but a well-behaved exporter never sends (a sample
 * without `# TYPE`, a family split in two, a series twice, a histogram whose buckets do not add up).
 */

export type MetricType = 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';

export interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

export interface MetricFamily {
  readonly name: string;
  readonly type: MetricType;
  readonly help: string | undefined;
  readonly samples: Sample[];
}

const metricName = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const labelName = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const types = new Set<string>(['counter', 'gauge', 'histogram', 'summary', 'untyped']);

/** The families of an exposition by name, each with its samples in the order sent. */
export function parsePrometheusText(text: string): Map<string, MetricFamily> {
  if (text !== '' && !text.endsWith('\n')) throw new Error('the exposition must end with a line feed');
  const families = new Map<string, MetricFamily>();
  const helps = new Map<string, string>();
  const seenSeries = new Set<string>();
  let current: MetricFamily | undefined;
  const lines = text.split('\n').slice(0, -1);
  lines.forEach((line, index) => {
    const where = `line ${index + 1} (${JSON.stringify(line)})`;
    try {
      if (line.trim() === '') return;
      if (line.startsWith('#')) {
        const declared = readComment(line, families, helps);
        if (declared !== undefined) current = declared;
        return;
      }
      const sample = readSample(line);
      const family = familyOf(sample.name, current);
      if (family === undefined) throw new Error(`sample ${sample.name} has no # TYPE before it`);
      const key = `${sample.name}${JSON.stringify(Object.entries(sample.labels).sort())}`;
      if (seenSeries.has(key)) throw new Error('the same series twice');
      seenSeries.add(key);
      family.samples.push(sample);
    } catch (error) {
      throw new Error(`${where}: ${(error as Error).message}`, { cause: error });
    }
  });
  for (const [name, help] of helps) {
    const family = families.get(name);
    if (family === undefined) throw new Error(`# HELP for ${name} without its # TYPE`);
    families.set(name, { ...family, help });
  }
  for (const family of families.values()) if (family.type === 'histogram') checkHistogram(family);
  return families;
}

/** A `# TYPE` opens a family (answered); `# HELP` is kept; any other comment is ignored. */
function readComment(
  line: string,
  families: Map<string, MetricFamily>,
  helps: Map<string, string>,
): MetricFamily | undefined {
  const match = /^# (HELP|TYPE) (\S+)(?: (.*))?$/.exec(line);
  if (match === null) return undefined;
  const [, keyword, name = '', rest = ''] = match;
  if (!metricName.test(name)) throw new Error(`invalid metric name ${name}`);
  if (keyword === 'HELP') {
    if (helps.has(name)) throw new Error(`second # HELP for ${name}`);
    helps.set(name, unescapeHelp(rest));
    return undefined;
  }
  if (!types.has(rest)) throw new Error(`unknown type ${rest}`);
  if (families.has(name)) throw new Error(`second # TYPE for ${name}`);
  const family: MetricFamily = { name, type: rest as MetricType, help: undefined, samples: [] };
  families.set(name, family);
  return family;
}

/** The family a sample belongs to: the current one, whose samples must come together. */
function familyOf(sample: string, current: MetricFamily | undefined): MetricFamily | undefined {
  if (current === undefined) return undefined;
  const suffixes =
    current.type === 'histogram'
      ? ['_bucket', '_sum', '_count']
      : current.type === 'summary'
        ? ['', '_sum', '_count']
        : [''];
  return suffixes.some((suffix) => `${current.name}${suffix}` === sample) ? current : undefined;
}

function readSample(line: string): Sample {
  const name = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(line)?.[0];
  if (name === undefined) throw new Error('a sample must start with a metric name');
  let rest = line.slice(name.length);
  const labels: Record<string, string> = {};
  if (rest.startsWith('{')) {
    rest = readLabels(rest.slice(1), labels);
  }
  const fields = rest.split(' ');
  if (fields[0] !== '' || fields.length < 2 || fields.length > 3)
    throw new Error('expected one space, a value and an optional timestamp after the name and labels');
  return { name, labels, value: readValue(fields[1] ?? '') };
}

/** Reads `a="x",b="y"}` into `labels`; answers what follows the closing brace. */
function readLabels(text: string, labels: Record<string, string>): string {
  let rest = text;
  for (;;) {
    if (rest.startsWith('}')) return rest.slice(1);
    const match = /^([^=]*)="/.exec(rest);
    const name = match?.[1];
    if (match === null || name === undefined || !labelName.test(name))
      throw new Error(`invalid label at ${rest.slice(0, 20)}`);
    if (name in labels) throw new Error(`label ${name} twice`);
    rest = rest.slice(match[0].length);
    let value = '';
    for (;;) {
      const char = rest[0];
      if (char === undefined) throw new Error(`label ${name}'s value is not closed`);
      if (char === '"') break;
      if (char === '\\') {
        const escaped = rest[1];
        if (escaped !== '\\' && escaped !== '"' && escaped !== 'n')
          throw new Error(`invalid escape \\${escaped ?? ''} in label ${name}`);
        value += escaped === 'n' ? '\n' : escaped;
        rest = rest.slice(2);
      } else {
        value += char;
        rest = rest.slice(1);
      }
    }
    labels[name] = value;
    rest = rest.slice(1);
    if (rest.startsWith(',')) rest = rest.slice(1);
    else if (!rest.startsWith('}')) throw new Error(`expected , or } after label ${name}`);
  }
}

/** A float as Go's strconv.ParseFloat reads it, which is what Prometheus uses (so `Nan` and `inf` pass). */
function readValue(text: string): number {
  if (/^nan$/i.test(text)) return Number.NaN;
  const infinite = /^([-+]?)inf(inity)?$/i.exec(text);
  if (infinite !== null) return infinite[1] === '-' ? -Infinity : Infinity;
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text)) throw new Error(`invalid value ${text}`);
  return Number(text);
}

/** HELP text escapes backslash and line feed only. */
function unescapeHelp(text: string): string {
  return text.replace(/\\(.)/g, (whole, char: string) => {
    if (char === '\\') return '\\';
    if (char === 'n') return '\n';
    throw new Error(`invalid escape ${whole}`);
  });
}

/** Per series: cumulative buckets ending at +Inf, which equals `_count`. */
function checkHistogram(family: MetricFamily): void {
  const series = new Map<string, { buckets: [number, number][]; count?: number }>();
  for (const sample of family.samples) {
    const { le, ...rest } = sample.labels;
    const key = JSON.stringify(Object.entries(rest).sort());
    const entry = series.get(key) ?? { buckets: [] };
    series.set(key, entry);
    if (sample.name.endsWith('_bucket')) {
      if (le === undefined) throw new Error(`${family.name}: a bucket without le`);
      entry.buckets.push([readValue(le), sample.value]);
    } else if (sample.name.endsWith('_count')) entry.count = sample.value;
  }
  for (const [key, { buckets, count }] of series) {
    const last = buckets.at(-1);
    if (last?.[0] !== Infinity) throw new Error(`${family.name}${key}: no +Inf bucket`);
    if (last[1] !== count)
      throw new Error(`${family.name}${key}: +Inf bucket ${last[1]} is not _count ${count}`);
    buckets.reduce((previous, [le, value]) => {
      if (le <= previous[0] || value < previous[1])
        throw new Error(`${family.name}${key}: buckets not cumulative`);
      return [le, value];
    });
  }
}

/** The samples of a family (with the suffix, for a histogram's or summary's parts) whose labels include `match`. */
export function samplesOf(
  families: ReadonlyMap<string, MetricFamily>,
  family: string,
  options: { suffix?: string; match?: Readonly<Record<string, string>> } = {},
): Sample[] {
  const found = families.get(family);
  if (found === undefined) throw new Error(`no metric family ${family}`);
  const name = `${family}${options.suffix ?? ''}`;
  return found.samples.filter(
    (s) =>
      s.name === name &&
      Object.entries(options.match ?? {}).every(([label, value]) => s.labels[label] === value),
  );
}

/** The sum of the matching samples' values. */
export function sumOf(
  families: ReadonlyMap<string, MetricFamily>,
  family: string,
  options: { suffix?: string; match?: Readonly<Record<string, string>> } = {},
): number {
  return samplesOf(families, family, options).reduce((sum, s) => sum + s.value, 0);
}
