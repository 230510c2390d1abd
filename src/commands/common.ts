// What the reading commands (segments, customers, explain, plan) share: the --date option, opening
// a database that must already exist, and how a phone number is shown.
import fs from 'node:fs';
import path from 'node:path';
import { Option } from 'commander';
import type { Context } from '../core/command.js';
import { displayPath } from '../core/config.js';
import { UsageError, UserError } from '../core/errors.js';
import { isIsoDate } from '../domain/calendar.js';
import { displayPhone, halfWidth, isProblem, maskPhone, parseDate } from '../domain/values.js';
import { t, type MessageId } from '../messages/index.js';
import { openDatabase, type Db } from '../storage/db.js';

/** Today's date where the user is (local time), as YYYY-MM-DD. */
export function localToday(now: Date = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

export function dateOption(): Option {
  return new Option('--date <YYYY-MM-DD>', t('option.date'));
}

/** The --date value, checked; today when absent. A bad date is a usage error (exit 2). */
export function parseDateFlag(value: string | undefined): string {
  if (value === undefined) return localToday();
  const trimmed = halfWidth(value.trim());
  if (isIsoDate(trimmed)) return trimmed;
  // As people and Excel write it: 2026/11/30, 2026.11.30, 2026年11月30日.
  if (/^\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?$/.test(trimmed)) {
    const day = parseDate(trimmed);
    if (!isProblem(day) && isIsoDate(day.value)) return day.value;
  }
  throw new UsageError('cmd.badDate', { value });
}

/** The database, which these commands never create: without it there is nothing to read. */
export function openExistingDatabase(ctx: Context): Db {
  const file = ctx.dbPath();
  if (!fs.existsSync(file)) throw new UserError('cmd.noDatabase', { path: displayPath(file, ctx.cwd) });
  return openDatabase(file);
}

/** A phone for people to read: masked (138****8000), or as dialled (138 0013 8000) with --full-phone. */
export function shownPhone(e164: string | null | undefined, full: boolean): string {
  return full ? displayPhone(e164) : maskPhone(e164);
}

/** A phone for JSON: masked, or E.164 (+8613800138000) with --full-phone; null when there is none. */
export function jsonPhone(e164: string | null | undefined, full: boolean): string | null {
  if (!e164) return null;
  return full ? e164 : maskPhone(e164);
}

/** A path or argument as a shell reads it, for a command the user is told to run: quoted only when it needs to be. */
export function shellQuote(value: string): string {
  if (/^[\p{L}\p{N}_./@%+=:,-]+$/u.test(value)) return value;
  return process.platform === 'win32' ? `"${value}"` : `'${value.replace(/'/g, `'\\''`)}'`;
}

/**
 * An --out FILE, checked before any work: not a folder, and in a folder that exists. Returns the
 * absolute path and the path as the user knows it, for messages.
 */
export function checkOutFile(value: string, cwd: string, isFolder: MessageId = 'error.fileIsDirectory'): { file: string; shown: string } {
  const file = path.resolve(cwd, value);
  const shown = displayPath(file, cwd);
  if (fs.statSync(file, { throwIfNoEntry: false })?.isDirectory()) throw new UserError(isFolder, { path: shown });
  if (!fs.statSync(path.dirname(file), { throwIfNoEntry: false })?.isDirectory()) {
    throw new UserError('plan.outFolder', { path: shown, folder: displayPath(path.dirname(file), cwd) });
  }
  return { file, shown };
}
