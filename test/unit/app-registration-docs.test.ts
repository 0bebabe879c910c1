import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { permissionApiNames, permissionTable } from '../../src/domain/permissions.js';
import { clouds, defenderRegions } from '../../src/domain/clouds.js';

/**
 * docs/app-registration.md carries the permission table and the region list as generated here from the tables the
 * hub runs on, so the guide never drifts from them. The cells are compared, not the text: prettier pads tables.
 * On a difference, the message is the block to paste between the markers.
 */

const doc = readFileSync(new URL('../../docs/app-registration.md', import.meta.url), 'utf8');

function markdownTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`;
  return [line(headers), line(headers.map(() => '---')), ...rows.map(line)].join('\n');
}

/** Every data row's cells between the markers (header and separator left out). */
function cellsBetween(name: string): string[][] {
  const start = doc.indexOf(`<!-- ${name}:start`);
  const end = doc.indexOf(`<!-- ${name}:end -->`);
  expect(start, `the ${name} start marker`).toBeGreaterThanOrEqual(0);
  expect(end, `the ${name} end marker`).toBeGreaterThan(start);
  return cellsOf(doc.slice(start, end));
}

function cellsOf(markdown: string): string[][] {
  return markdown
    .split('\n')
    .filter((line) => line.trim().startsWith('|'))
    .map((line) =>
      line
        .trim()
        .replace(/^\||\|$/g, '')
        .split('|')
        .map((cell) => cell.trim()),
    )
    .slice(2);
}

const code = (text: string): string => `\`${text}\``;

/** One line per feature and API: the feature and what it enables on its first. */
function permissionMarkdown(): string {
  const rows = permissionTable.flatMap((row) =>
    row.sources.map((source, i) => [
      i === 0 ? row.label : '',
      permissionApiNames[source.api],
      source.permissions.map(code).join(' or '),
      i === 0 ? row.enables : '',
    ]),
  );
  return markdownTable(['Feature', 'API', 'Permissions (any one)', 'Enables'], rows);
}

function regionMarkdown(): string {
  const rows = Object.entries(defenderRegions).map(([name, region]) => {
    const cloud = clouds[region.cloud];
    return [name, code(region.apiBaseUrl), code(cloud.authorityHost), code(cloud.graphBaseUrl)];
  });
  return markdownTable(['Region', 'Defender API', 'Sign-in', 'Graph'], rows);
}

describe('docs/app-registration.md', () => {
  it('should list every feature with every permission of the permission table', () => {
    expect(cellsBetween('permission-table'), permissionMarkdown()).toEqual(cellsOf(permissionMarkdown()));
  });

  it('should list every region the hub offers, with its sign-in and Graph hosts', () => {
    expect(cellsBetween('regions'), regionMarkdown()).toEqual(cellsOf(regionMarkdown()));
    for (const host of ['api-eu', 'api-uk', 'api-au', 'api-us'])
      expect(doc).toContain(`https://${host}.securitycenter.microsoft.com`);
  });

  it('should be linked from the README', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    expect(readme).toContain('(docs/app-registration.md)');
  });
});
