// followup report --month YYYY-MM [--format text|md|csv|json|html|xlsx] [--out PATH]: the monthly review.
import path from 'node:path';
import { Option } from 'commander';
import { newCommand, type Context } from '../core/command.js';
import { jsonText } from '../core/output.js';
import { UsageError, UserError } from '../core/errors.js';
import { forStandardOutput, isDiskFull, replaceFile } from '../core/files.js';
import { isMonth, monthReport } from '../domain/report.js';
import { FORMATS, toCsv, toHtml, toMarkdown, toText, toXlsx, type Format } from '../report/formats.js';
import { t } from '../messages/index.js';
import { checkOutFile, checkSupportedYear, openExistingDatabase, parseDateFlag } from './common.js';

interface ReportFlags {
  month?: string;
  format?: string;
  out?: string;
  date?: string;
  json?: boolean;
}

const EXTENSIONS: Record<string, Format> = { '.txt': 'text', '.md': 'md', '.csv': 'csv', '.json': 'json', '.html': 'html', '.htm': 'html', '.xlsx': 'xlsx' };

export function reportCommand(ctx: Context) {
  return newCommand('report')
    .description(t('report.description'))
    .addOption(new Option('--month <YYYY-MM>', t('report.option.month')))
    .addOption(new Option('--format <format>', t('report.option.format')))
    .addOption(new Option('--out <file>', t('report.option.out')))
    .addOption(new Option('--date <YYYY-MM-DD>', t('report.option.date')))
    .addOption(new Option('--json', t('report.option.json')))
    .addHelpText('after', '\n' + t('report.examples'))
    .action(async (flags: ReportFlags) => {
      const date = parseDateFlag(flags.date);
      const month = flags.month?.trim() ?? date.slice(0, 7);
      if (!isMonth(month)) throw new UsageError('report.badMonth', { value: flags.month ?? '' });
      checkSupportedYear(month, '--month');
      const out = flags.out === undefined ? undefined : checkOutFile(ctx, flags.out, 'report.outIsFolder');
      if (flags.json && flags.format !== undefined && flags.format.trim().toLowerCase() !== 'json') {
        throw new UsageError('report.jsonAndFormat', { format: flags.format });
      }
      const format = flags.json ? 'json' : chooseFormat(flags.format, out && !out.stdout ? out.file : undefined);
      if (format === 'xlsx' && (!out || out.stdout) && process.stdout.isTTY) throw new UsageError('report.xlsxNeedsOut');

      const db = openExistingDatabase(ctx, { write: false });
      let report;
      try {
        report = monthReport(db, month, date);
      } finally {
        db.close();
      }
      const body: string | Buffer =
        format === 'json'
          ? jsonText(report) + '\n'
          : format === 'text'
            ? toText(report, out && !out.stdout ? undefined : ctx.out.columns) + '\n'
            : format === 'md'
              ? toMarkdown(report)
              : format === 'csv'
                ? toCsv(report)
                : format === 'html'
                  ? toHtml(report, ctx.lang)
                  : await toXlsx(report);
      if (out && !out.stdout) {
        writeAtomically(out, body);
        ctx.out.info(t('report.wrote', { format, month, path: out.shown }));
      } else {
        // Shown, not obeyed (control characters escaped), then coloured.
        const shown = forStandardOutput(body);
        process.stdout.write(format === 'text' && typeof shown === 'string' ? marked(shown, ctx) : shown);
      }
    });
}

/** On a terminal, what needs doing stands out in colour (its ⚠ and words say it without colour too). */
function marked(text: string, ctx: Context): string {
  const colour = ctx.out.dataColour;
  if (colour.level === 0) return text;
  return text
    .split('\n')
    .map((line) => (line.startsWith('⚠') ? colour.bold.red(line) : line.startsWith('✓') ? colour.green(line) : line))
    .join('\n');
}

function chooseFormat(flag: string | undefined, file: string | undefined): Format {
  if (flag !== undefined) {
    const format = flag.trim().toLowerCase();
    if ((FORMATS as readonly string[]).includes(format)) return format as Format;
    throw new UsageError('report.badFormat', { value: flag, ids: FORMATS.join(', ') });
  }
  const byExtension = file ? EXTENSIONS[path.extname(file).toLowerCase()] : undefined;
  if (byExtension) return byExtension;
  return process.stdout.isTTY ? 'text' : 'json';
}

/** The whole file or nothing: written beside it, then renamed over it. */
function writeAtomically({ file, shown }: { file: string; shown: string }, body: string | Buffer): void {
  try {
    replaceFile(file, body);
  } catch (error) {
    if (isDiskFull(error)) throw new UserError('file.noSpace', { path: shown });
    throw new UserError('report.cannotWrite', { path: shown, reason: (error as NodeJS.ErrnoException).code ?? (error as Error).message });
  }
}
