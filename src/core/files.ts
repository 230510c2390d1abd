// Replacing a file in one step: written beside it, then renamed over it, so a reader (Excel, a
// browser) never sees half of it and a failure leaves the old file as it was.
import fs from 'node:fs';
import path from 'node:path';

/** Writes `body` to `file` in one step, with `mode` whatever the umask when given. Errors go up as they are. */
export function replaceFile(file: string, body: string | Buffer, mode?: number): void {
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  try {
    const fd = fs.openSync(temp, 'wx', mode ?? 0o666);
    try {
      fs.writeFileSync(fd, body);
      if (mode !== undefined) fs.fchmodSync(fd, mode);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(temp, file);
  } catch (error) {
    fs.rmSync(temp, { force: true });
    throw error;
  }
}
