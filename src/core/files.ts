// The files followup writes: checked before any work, replaced in one step, private.
//
// A file is written beside its target and renamed over it, so a reader (Excel, a browser) never
// sees half of it and a failure or a kill leaves the old file as it was. Everything followup writes
// holds customers' names and phones: files are 0600 and folders 0700 whatever the umask.
//
// Before anything is written, an output named by the user (--out, --rejects, --db) is checked: not
// a folder, a device, a FIFO or a symbolic link, in a folder that exists, and not a file the same
// command is reading (a --rejects naming the export itself would truncate it).
import fs from 'node:fs';
import path from 'node:path';
import { UserError, UsageError } from './errors.js';
import type { MessageId } from '../messages/index.js';
import { visible } from './visible.js';

export const FILE_MODE = 0o600;
export const FOLDER_MODE = 0o700;

/** Names that mean standard output. */
const STDOUT_NAMES = new Set(['-', '/dev/stdout', '/dev/fd/1', '/proc/self/fd/1']);

export type Target = { stdout: true; shown: string } | { stdout: false; file: string; shown: string };

export interface TargetCheck {
  cwd: string;
  /** The option, for messages: --out, --rejects, --db. */
  flag: string;
  /** Files the command reads (the export, the database): the target must not be one of them. */
  reading?: (string | null | undefined)[];
  /** `-` and /dev/stdout mean standard output (reports, call lists); otherwise they are refused as devices. */
  stdout?: boolean;
  /** The message for a folder given as the file. */
  isFolder?: MessageId;
}

/** The file as the user knows it: relative to the current folder when it is inside it. */
export function shownPath(file: string, cwd: string): string {
  const relative = path.relative(cwd, file);
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : file;
}

/** Checks an output path before any work is done; a bad one is a one-line UserError and nothing is written. */
export function outputTarget(value: string, check: TargetCheck): Target {
  if (STDOUT_NAMES.has(value)) {
    if (check.stdout) return { stdout: true, shown: value };
    throw new UserError('file.isDevice', { flag: check.flag, path: value });
  }
  if (value.trim() === '') throw new UsageError('file.empty', { flag: check.flag });
  const file = path.resolve(check.cwd, value);
  const shown = shownPath(file, check.cwd);
  const params = { flag: check.flag, path: shown };
  const link = plainFileOrNothing(file, check.flag, shown, check.isFolder ?? 'file.isFolder');
  if (!fs.statSync(path.dirname(file), { throwIfNoEntry: false })?.isDirectory()) {
    throw new UserError('file.noFolder', { ...params, folder: shownPath(path.dirname(file), check.cwd) });
  }
  if (link) {
    for (const input of check.reading ?? []) {
      if (!input) continue;
      const read = fs.statSync(input, { throwIfNoEntry: false });
      if (read && read.dev === link.dev && read.ino === link.ino) throw new UserError('file.isInput', params);
    }
  }
  return { stdout: false, file, shown };
}

/**
 * What is at `file` (lstat), when it is nothing or a regular file; a one-line UserError for a
 * symbolic link (named with its target), a folder, a device, a FIFO or anything else.
 */
export function plainFileOrNothing(file: string, flag: string, shown: string, isFolder: MessageId): fs.Stats | undefined {
  const params = { flag, path: shown };
  const link = fs.lstatSync(file, { throwIfNoEntry: false });
  if (!link) return undefined;
  if (link.isSymbolicLink()) {
    let target = '?';
    try {
      target = fs.realpathSync(file);
    } catch {
      // a dangling link: named as it is
    }
    throw new UserError('file.isSymlink', { ...params, target });
  }
  if (link.isDirectory()) throw new UserError(isFolder, params);
  if (link.isCharacterDevice() || link.isBlockDevice()) throw new UserError('file.isDevice', params);
  if (link.isFIFO()) throw new UserError('file.isFifo', params);
  if (!link.isFile()) throw new UserError('file.notRegular', params);
  return link;
}

/** Writes `body` to `file` in one step, 0600 whatever the umask (an existing file it replaces becomes 0600 too). */
export function replaceFile(file: string, body: string | Buffer, mode: number = FILE_MODE): void {
  const temp = tempBeside(file);
  try {
    const fd = fs.openSync(temp, 'wx', mode);
    try {
      fs.writeFileSync(fd, body);
      fs.fchmodSync(fd, mode);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(temp, file);
  } catch (error) {
    fs.rmSync(temp, { force: true });
    throw error;
  }
}

/** Is this the error of a full disk or an exceeded quota? */
export function isDiskFull(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException)?.code;
  return code === 'ENOSPC' || code === 'EDQUOT';
}

/**
 * A file's body for standard output: as it is for a pipe or a file; on a terminal, text with its
 * control characters shown (customer names in a CSV call list must not drive the terminal).
 */
export function forStandardOutput(body: string | Buffer): string | Buffer {
  if (!process.stdout.isTTY || typeof body !== 'string') return body;
  return visible(body.replace(/\r\n/g, '\n'), { lines: true, tabs: true });
}

/** Writes to a checked target: standard output, or the file replaced in one step. */
export function writeTarget(target: Target, body: string | Buffer): void {
  if (target.stdout) process.stdout.write(forStandardOutput(body));
  else replaceFile(target.file, body);
}

/**
 * The temporary file a write goes to before it is renamed over `file`: hidden, beside it, named
 * for this process. Those left by processes that are gone (killed part-way) are removed first.
 */
export function tempBeside(file: string): string {
  removeStaleTemps(path.dirname(file), path.basename(file));
  return tempPathFor(file);
}

/** This process's temporary file for `file` (see tempBeside). */
export function tempPathFor(file: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
}

/** Puts the temporary file written for `file` in its place, if there is one; true when it did. */
export function publishTemp(file: string): boolean {
  const temp = tempPathFor(file);
  if (!fs.existsSync(temp)) return false;
  fs.renameSync(temp, file);
  return true;
}

/** Removes the temporary file written for `file`, if any: the work it belonged to did not complete. */
export function discardTemp(file: string): void {
  fs.rmSync(tempPathFor(file), { force: true });
}

function removeStaleTemps(dir: string, base: string): void {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return;
  }
  const prefix = `.${base}.`;
  for (const name of names) {
    if (!name.startsWith(prefix) || !name.endsWith('.tmp')) continue;
    const pid = Number(name.slice(prefix.length, -'.tmp'.length));
    if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && !processAlive(pid)) {
      fs.rmSync(path.join(dir, name), { force: true });
    }
  }
}

/** Is process `pid` still running (on this machine)? */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Reads a small file (a config, a script, an answers file; a path or 0 for standard input) into
 * memory, but never more than `limit` bytes: /dev/zero, a FIFO or an endless stream given in its
 * place stops there. Returns null when the file is larger than the limit.
 */
export function readBounded(file: string | 0, limit: number): Buffer | null {
  const fd = file === 0 ? 0 : fs.openSync(file, 'r');
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for (;;) {
      const chunk = Buffer.alloc(Math.min(1 << 16, limit + 1 - size));
      let n: number;
      try {
        n = fs.readSync(fd, chunk, 0, chunk.length, null);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EAGAIN') {
          Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
          continue;
        }
        if ((error as NodeJS.ErrnoException).code === 'EOF') break;
        throw error;
      }
      if (n === 0) break;
      chunks.push(chunk.subarray(0, n));
      size += n;
      if (size > limit) return null;
    }
  } finally {
    if (file !== 0) fs.closeSync(fd);
  }
  return Buffer.concat(chunks, size);
}
