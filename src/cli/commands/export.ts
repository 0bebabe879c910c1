import { Argument, Command, Option } from 'commander';
import { HubError } from '../../errors.js';
import { chunked, encode, exportFormats, type ExportFormat } from '../../export/formats.js';
import { exportDatasets, type ExportDataset, type ExportRecord } from '../../store/index.js';
import { writeExport } from '../../export/write.js';
import { withHub } from '../hub-session.js';

interface ExportFlags {
  integration?: string;
  format: ExportFormat;
  out?: string;
}

async function* counted(
  records: AsyncIterable<ExportRecord>,
  count: { n: number },
): AsyncGenerator<ExportRecord> {
  for await (const record of records) {
    count.n++;
    yield record;
  }
}

export function exportCommand(): Command {
  return new Command('export')
    .description('Export stored records, streamed from the database page by page')
    .addArgument(
      new Argument(
        '<dataset>',
        'what to export; findings are the vulnerabilities (rows with a CVE), not software reported without one',
      ).choices(exportDatasets),
    )
    .option('--integration <id|name>', 'only this integration')
    .addOption(new Option('--format <format>', 'output format').choices(exportFormats).default('ndjson'))
    .option('--out <file>', 'write to this file instead of stdout')
    .action((dataset: ExportDataset, flags: ExportFlags) =>
      withHub(async (hub) => {
        const integrationId =
          flags.integration === undefined ? undefined : (await hub.integrations.get(flags.integration)).id;
        const source = hub.data.exports[dataset];
        const count = { n: 0 };
        const records = counted(source.records({ integrationId }), count);
        try {
          await writeExport(chunked(encode(flags.format, source.columns, records)), flags.out);
        } catch (error) {
          const code = (error as NodeJS.ErrnoException).code;
          if (flags.out === undefined || code === undefined) throw error;
          throw new HubError('EXPORT_WRITE_FAILED', `Cannot write --out ${flags.out} (${code}).`, {
            cause: error,
          });
        }
        if (flags.out !== undefined)
          process.stderr.write(`Exported ${count.n} ${dataset} to ${flags.out}.\n`);
      }),
    );
}
