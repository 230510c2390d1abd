// Scratch folders: where a plan's worker keeps its temporary databases.
//
// They all live under one folder named for followup and the user ($TMPDIR/followup-<uid>, 0700),
// each named for the process that made it (plan-<pid>-XXXXXX). A plan killed part-way cannot remove
// its own; the next one removes every folder whose process is gone, and `followup doctor` counts them.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FOLDER_MODE, processAlive } from './files.js';

/** The folder all of followup's scratch folders go in. */
export function scratchRoot(): string {
  const uid = typeof process.getuid === 'function' ? process.getuid() : os.userInfo().username;
  return path.join(os.tmpdir(), `followup-${uid}`);
}

/** A new private scratch folder for `purpose`, after removing those left by processes that are gone. */
export function newScratchDir(purpose: string): string {
  const root = scratchRoot();
  fs.mkdirSync(root, { recursive: true, mode: FOLDER_MODE });
  const stat = fs.lstatSync(root);
  // Another user's folder (or a link planted in a shared /tmp) is not used.
  if (!stat.isDirectory() || (typeof process.getuid === 'function' && stat.uid !== process.getuid())) {
    throw new Error(`scratch folder ${root} is not this user's folder`);
  }
  fs.chmodSync(root, FOLDER_MODE);
  removeStaleScratch();
  return fs.mkdtempSync(path.join(root, `${purpose}-${process.pid}-`));
}

/** Removes the scratch folders of processes that are gone (a plan killed part-way); returns how many. */
export function removeStaleScratch(): number {
  const stale = staleScratchDirs();
  for (const dir of stale) fs.rmSync(dir.path, { recursive: true, force: true });
  return stale.length;
}

export interface StaleScratch {
  path: string;
  bytes: number;
}

/** Scratch folders whose process is no longer running. */
export function staleScratchDirs(): StaleScratch[] {
  const root = scratchRoot();
  let names: string[];
  try {
    names = fs.readdirSync(root);
  } catch {
    return [];
  }
  const stale: StaleScratch[] = [];
  for (const name of names) {
    const pid = Number(/^[a-z]+-(\d+)-/.exec(name)?.[1]);
    if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid || processAlive(pid)) continue;
    const dir = path.join(root, name);
    stale.push({ path: dir, bytes: folderBytes(dir) });
  }
  return stale;
}

function folderBytes(dir: string): number {
  let total = 0;
  try {
    for (const name of fs.readdirSync(dir)) total += fs.statSync(path.join(dir, name), { throwIfNoEntry: false })?.size ?? 0;
  } catch {
    // gone meanwhile
  }
  return total;
}
