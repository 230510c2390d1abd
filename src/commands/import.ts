// followup import customers|orders|complaints FILE, and followup import calls FILE (a filled-in call list)
import fs from 'node:fs';
import { Option } from 'commander';
import { newCommand, type Context } from '../core/command.js';
import { jsonText } from '../core/output.js';
import { importProgress, type Progress } from '../core/progress.js';
import { importCalls, parseSheetMap, type CallsImportResult } from '../import/calls.js';
import { parseKind } from '../domain/columns.js';
import { parseDelimiter, parseEncoding } from '../import/decode.js';
import { importExport, openInput, type ImportResult } from '../import/importer.js';
import { t, type MessageId } from '../messages/index.js';
import { openDatabase } from '../storage/db.js';
import { openExistingDatabase, readFiles } from './common.js';

interface ImportFlags {
  sheet?: string;
  encoding?: string;
  delimiter?: string;
  map?: string[];
  rejects?: string;
  dryRun?: boolean;
  json?: boolean;
}

/** Progress is drawn only for files big enough to make someone wait. */
const PROGRESS_MIN_BYTES = 8 * 1024 * 1024;

export function importCommand(ctx: Context) {
  return newCommand('import')
    .description(t('import.description'))
    .argument('<kind>', t('import.arg.kind'))
    .argument('<file>', t('import.arg.file'))
    .addOption(new Option('--encoding <encoding>', t('import.option.encoding')))
    .addOption(new Option('--delimiter <delimiter>', t('import.option.delimiter')))
    .addOption(new Option('--map <header=field>', t('import.option.map')).argParser(collect))
    .addOption(new Option('--sheet <name>', t('import.option.sheet')))
    .addOption(new Option('--rejects <file>', t('import.option.rejects')))
    .addOption(new Option('--dry-run', t('import.option.dryRun')))
    .addOption(new Option('--json', t('option.json')))
    .addHelpText('after', '\n' + t('import.examples'))
    .action(async (kindArg: string, file: string, flags: ImportFlags) => {
      // Validate every flag before touching the database or the file.
      if (kindArg.trim().toLowerCase() === 'calls') return importCallList(ctx, file, flags);
      const kind = parseKind(kindArg);
      const encoding = flags.encoding === undefined ? undefined : parseEncoding(flags.encoding);
      const delimiter = flags.delimiter === undefined ? undefined : parseDelimiter(flags.delimiter);

      const input = openInput({ file, cwd: ctx.cwd });

      // A dry run of a database that does not exist yet validates against an empty one in memory.
      const dbPath = ctx.dbPath();
      const existed = fs.existsSync(dbPath);
      const db = flags.dryRun && !existed ? openDatabase(':memory:', { create: true }) : openDatabase(dbPath, { create: true });
      let progress: Progress | undefined;
      let imported = false;
      try {
        const result = await importExport(db, {
          kind,
          file,
          input,
          encoding,
          delimiter,
          map: flags.map,
          sheet: flags.sheet,
          rejectsFile: flags.rejects,
          reading: readFiles(ctx),
          dryRun: flags.dryRun,
          cwd: ctx.cwd,
          // Rebuilding indexes and committing a big load takes seconds: the line says so, and keeps moving.
          onSaving: (rows) => progress?.saving(rows),
          onProgress: (bytes, total, rows) => {
            if (total !== undefined && total < PROGRESS_MIN_BYTES) return;
            progress ??= importProgress(ctx.out, file);
            progress.reading(bytes, total, rows);
          },
        });
        imported = true;
        progress?.done();
        report(ctx, result, flags.json ?? false);
      } finally {
        progress?.done();
        db.close();
        // A failed first import (a malformed file, say) leaves no empty database behind: a user
        // error changes nothing.
        if (!imported && !existed) for (const suffix of ['', '-wal', '-shm']) fs.rmSync(dbPath + suffix, { force: true });
      }
    });
}

/** import calls: the call list of `plan --out`, filled in by the agents, into calls (the database must exist). */
async function importCallList(ctx: Context, file: string, flags: ImportFlags): Promise<void> {
  const encoding = flags.encoding === undefined ? undefined : parseEncoding(flags.encoding);
  const delimiter = flags.delimiter === undefined ? undefined : parseDelimiter(flags.delimiter);
  const map = flags.map ?? [];
  parseSheetMap(map);
  const config = ctx.config();
  const input = openInput({ file, cwd: ctx.cwd });
  const db = openExistingDatabase(ctx);
  let result: CallsImportResult;
  try {
    result = await importCalls(db, {
      file,
      input,
      config,
      lang: ctx.lang,
      encoding,
      delimiter,
      map,
      rejectsFile: flags.rejects,
      reading: readFiles(ctx),
      dryRun: flags.dryRun,
      cwd: ctx.cwd,
    });
  } finally {
    db.close();
  }
  if (flags.json) {
    ctx.out.data(jsonText(result));
    return;
  }
  const { file: name, rows, inserted, updated, unchanged, skipped, rejected } = result;
  ctx.out.info(t('sheet.summary', { file: name, rows, inserted, updated, unchanged, skipped, rejected }));
  if (result.rejectsFile) ctx.out.warn(t('import.rejectsWritten', { count: result.rejected, path: result.rejectsFile }));
  if (result.dryRun) ctx.out.info(t('import.summaryDryRun'));
}

function report(ctx: Context, result: ImportResult, json: boolean): void {
  if (json) {
    ctx.out.data(jsonText(result));
    return;
  }
  const { out } = ctx;
  out.info(
    t('import.summary', {
      file: result.file,
      rows: result.rows,
      inserted: result.inserted,
      updated: result.updated,
      unchanged: result.unchanged,
      rejected: result.rejected,
      skipped: result.skipped,
      warnings: result.warnings,
      duplicates: result.duplicates,
      seconds: result.seconds.toFixed(2),
      rate: result.rowsPerSecond,
    }),
  );
  if (result.duplicates > 0) out.info(t('import.duplicatesNote', { count: result.duplicates }));
  if (result.skipped > 0) {
    out.info(t('import.skippedNote', { count: result.skipped, line: result.firstSkipped?.line ?? '-', example: result.firstSkipped?.label ?? '' }));
  }
  if (result.unmappedColumns.length > 0) out.warn(t('import.unmappedNote', { columns: result.unmappedColumns.map((c) => `"${c}"`).join(', ') }));
  if (result.nonPurchase > 0) out.info(t('import.nonPurchaseNote', { count: result.nonPurchase }));
  const resolved = result.resolvedFrom.updatedAt + result.resolvedFrom.openedAt;
  if (resolved > 0) out.info(t('import.resolvedFromNote', { count: resolved, ...result.resolvedFrom }));
  if (result.unknownStatuses.length > 0) {
    const shown = result.unknownStatuses.slice(0, 10).map((v) => `"${v}"`).join(', ') + (result.unknownStatuses.length > 10 ? ' …' : '');
    out.warn(t('import.unknownStatusesNote', { kind: t(`kind.${result.kind}` as MessageId), values: shown }));
  }
  if (result.warnings > 0 && result.rejectsFile) out.warn(t('import.warningsNote', { count: result.warnings, path: result.rejectsFile }));
  if (result.rejected > 0 && result.rejectsFile) out.warn(t('import.rejectsWritten', { count: result.rejected, path: result.rejectsFile }));
  if (result.dryRun) out.info(t('import.summaryDryRun'));
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

