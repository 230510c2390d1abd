// followup doctor [--json]: is the database sound, and what to do when it is not.
import fs from 'node:fs';
import { Option } from 'commander';
import { newCommand, type Context } from '../core/command.js';
import { jsonText } from '../core/output.js';
import { displayPath } from '../core/config.js';
import { UserError } from '../core/errors.js';
import { outputTarget } from '../core/files.js';
import { scratchRoot, staleScratchDirs } from '../core/scratch.js';
import { t, type MessageId, type Params } from '../messages/index.js';
import { checkDatabaseFile, salvageInto, type DatabaseCheck, type Salvage } from '../storage/doctor.js';
import { shellQuote } from './common.js';

interface DoctorFlags {
  json?: boolean;
  salvage?: string;
}

export interface Diagnosis {
  path: string;
  checks: (DatabaseCheck | { id: 'scratch'; state: 'ok' | 'note'; folders: string[]; bytes: number })[];
  problems: number;
}

/** The checks of the database at `file` and of the scratch folders; no changes are made. */
export function diagnose(file: string): Diagnosis {
  const checks: Diagnosis['checks'] = [...checkDatabaseFile(file)];
  const stale = staleScratchDirs();
  const bytes = stale.reduce((sum, s) => sum + s.bytes, 0);
  checks.push({ id: 'scratch', state: stale.length === 0 ? 'ok' : 'note', folders: stale.map((s) => s.path), bytes });
  return { path: file, checks, problems: checks.filter((c) => c.state === 'fail').length };
}

export function doctorCommand(ctx: Context) {
  return newCommand('doctor')
    .description(t('doctor.description'))
    .addOption(new Option('--json', t('option.json')))
    .addOption(new Option('--salvage <new-file>', t('doctor.option.salvage')))
    .addHelpText('after', '\n' + t('doctor.examples'))
    .action((flags: DoctorFlags) => {
      const file = ctx.dbPath();
      const shown = displayPath(file, ctx.cwd);
      const stat = fs.statSync(file, { throwIfNoEntry: false });
      if (!stat) throw new UserError('cmd.noDatabase', { path: shown });
      if (!stat.isFile()) throw new UserError('file.notRegular', { flag: '--db', path: shown });
      if (flags.salvage !== undefined) {
        salvage(ctx, file, shown, flags.salvage);
        return;
      }
      const result = diagnose(file);
      if (flags.json) ctx.out.data(jsonText(result));
      else ctx.out.data(render(result, shown).join('\n'));
      if (result.problems > 0) throw new UserError('doctor.failed', { count: result.problems, path: shown });
    });
}

/** --salvage NEW: what can be read, saved into a new file (which must not exist yet), then checked. */
function salvage(ctx: Context, file: string, shown: string, value: string): void {
  const target = outputTarget(value, { cwd: ctx.cwd, flag: '--salvage', reading: [file, `${file}-wal`] });
  if (target.stdout) throw new UserError('file.isDevice', { flag: '--salvage', path: value });
  if (fs.existsSync(target.file)) throw new UserError('doctor.salvageExists', { path: target.shown });
  let saved: Salvage;
  try {
    saved = salvageInto(file, target.file);
  } catch (error) {
    for (const f of [target.file, `${target.file}-wal`, `${target.file}-shm`]) fs.rmSync(f, { force: true });
    throw new UserError('doctor.salvageFailed', { path: shown, reason: (error as Error).message });
  }
  const rows = Object.values(saved.copied).reduce((a, b) => a + b, 0);
  ctx.out.info(t('doctor.salvaged', { path: shown, target: target.shown, rows }));
  if (saved.damaged.length > 0) ctx.out.warn(t('doctor.salvageLost', { tables: saved.damaged.join(', ') }));
  const result = diagnose(target.file);
  ctx.out.data(render(result, target.shown, true).join('\n'));
  if (result.problems > 0) throw new UserError('doctor.failed', { count: result.problems, path: target.shown });
}

function render(result: Diagnosis, shown: string, salvaged = false): string[] {
  const lines = [t('doctor.title', { path: shown })];
  const quoted = shellQuote(shown);
  for (const check of result.checks) {
    const name =
      check.id === 'schema'
        ? t('doctor.check.schema', { found: check.found ?? '?', known: check.known ?? '?' })
        : check.id === 'scratch'
          ? t('doctor.check.scratch', { dir: scratchRoot() })
          : t(`doctor.check.${check.id}` as MessageId);
    let detail = '';
    if (check.id === 'scratch') {
      if (check.state === 'note') detail = t('doctor.detail.scratch', { count: check.folders.length, size: (check.bytes / 1048576).toFixed(1) });
    } else if (check.detail) {
      const params: Params = { ...check.detail.params, path: quoted };
      detail = t(`doctor.detail.${check.detail.id}` as MessageId, params);
    }
    lines.push(t(check.state === 'ok' ? 'doctor.ok' : check.state === 'fail' ? 'doctor.bad' : 'doctor.warn', { check: name, detail }));
  }
  const failed = result.checks.filter((c) => c.state === 'fail');
  if (failed.length === 0) lines.push('', t('doctor.healthy'));
  else if (failed.some((c) => c.id === 'file')) lines.push('', t('doctor.fix.notDatabase'));
  else if (failed.every((c) => c.id === 'foreignKeys')) lines.push('', t('doctor.fix.references'));
  else if (failed.every((c) => c.id === 'schema')) lines.push('', t('doctor.fix.newer'));
  else lines.push('', t(salvaged ? 'doctor.fix.salvagedDamaged' : 'doctor.fix.damaged', { path: quoted, db: quoted }));
  return lines;
}
