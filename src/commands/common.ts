// What the reading commands (segments, customers, explain, plan) share: the --date option, opening
// a database that must already exist, and how a phone number is shown.
import fs from 'node:fs';
import { Option } from 'commander';
import type { Context } from '../core/command.js';
import { displayPath } from '../core/config.js';
import { outputTarget, type Target } from '../core/files.js';
import { UsageError, UserError } from '../core/errors.js';
import { inSupportedYears, isIsoDate, SUPPORTED_YEARS } from '../domain/calendar.js';
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
export function parseDateFlag(value: string | undefined, flag = '--date'): string {
  if (value === undefined) return localToday();
  const trimmed = halfWidth(value.trim());
  let date: string | undefined;
  if (isIsoDate(trimmed)) date = trimmed;
  // As people and Excel write it: 2026/11/30, 2026.11.30, 2026年11月30日.
  else if (/^\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?$/.test(trimmed)) {
    const day = parseDate(trimmed);
    if (!isProblem(day) && isIsoDate(day.value)) date = day.value;
  }
  if (date === undefined) throw new UsageError('cmd.badDate', { value });
  checkSupportedYear(date, flag);
  return date;
}

/** A date or month outside SUPPORTED_YEARS is a usage error naming them (exit 2). */
export function checkSupportedYear(dateOrMonth: string, flag: string): void {
  if (!inSupportedYears(dateOrMonth)) {
    throw new UsageError('date.outOfRange', { flag, value: dateOrMonth, from: SUPPORTED_YEARS.from, to: SUPPORTED_YEARS.to });
  }
}

/**
 * The database, which these commands never create: without it there is nothing to read. A command
 * that only reads (`write: false`) opens a read-only file read-only; one that writes is told it is read-only.
 */
export function openExistingDatabase(ctx: Context, { write = true }: { write?: boolean } = {}): Db {
  const file = ctx.dbPath();
  if (!fs.lstatSync(file, { throwIfNoEntry: false })) throw new UserError('cmd.noDatabase', { path: displayPath(file, ctx.cwd) });
  return openDatabase(file, { readOnlyFallback: !write });
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
 * An --out FILE, checked before any work (core/files.ts): `-` or /dev/stdout for standard output,
 * else a file in a folder that exists that is not a folder, a device, a FIFO, a symbolic link, or
 * the database or config this command reads.
 */
export function checkOutFile(ctx: Context, value: string, isFolder?: MessageId): Target {
  return outputTarget(value, { cwd: ctx.cwd, flag: '--out', stdout: true, reading: readFiles(ctx), isFolder });
}

/** The files every command may read: the database with its WAL and shared-memory files, and the config. */
export function readFiles(ctx: Context): string[] {
  const files: string[] = [];
  try {
    const db = ctx.dbPath();
    files.push(db, `${db}-wal`, `${db}-shm`);
    const config = ctx.config().file;
    if (config) files.push(config);
  } catch {
    // a broken config is reported by the command that reads it
  }
  return files;
}
