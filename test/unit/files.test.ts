import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { discardTemp, outputTarget, publishTemp, readBounded, replaceFile, tempBeside, tempPathFor } from '../../src/core/files.js';
import { RecordSize } from '../../src/import/csv.js';
import { setLang } from '../../src/messages/index.js';

let dir: string;
beforeEach(() => {
  setLang('en');
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'followup-files-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('outputTarget', () => {
  it('takes - and /dev/stdout for standard output only where allowed', () => {
    expect(outputTarget('-', { cwd: dir, flag: '--out', stdout: true })).toEqual({ stdout: true, shown: '-' });
    expect(outputTarget('/dev/stdout', { cwd: dir, flag: '--out', stdout: true })).toEqual({ stdout: true, shown: '/dev/stdout' });
    expect(() => outputTarget('-', { cwd: dir, flag: '--rejects' })).toThrow('--rejects - is a device, not a file');
  });

  it('refuses a file being read (also through a hard link), a device, a FIFO, a folder and a link', () => {
    const input = path.join(dir, 'in.csv');
    fs.writeFileSync(input, 'x');
    fs.linkSync(input, path.join(dir, 'hard.csv'));
    expect(() => outputTarget('in.csv', { cwd: dir, flag: '--rejects', reading: [input] })).toThrow('--rejects in.csv is a file this command reads');
    expect(() => outputTarget('hard.csv', { cwd: dir, flag: '--rejects', reading: [input] })).toThrow('is a file this command reads');
    expect(() => outputTarget('/dev/null', { cwd: dir, flag: '--out' })).toThrow('--out /dev/null is a device');
    spawnSync('mkfifo', [path.join(dir, 'fifo')]);
    expect(() => outputTarget('fifo', { cwd: dir, flag: '--out' })).toThrow('--out fifo is a pipe (FIFO)');
    expect(() => outputTarget('.', { cwd: dir, flag: '--out' })).toThrow('is a folder');
    fs.symlinkSync(input, path.join(dir, 'link.csv'));
    expect(() => outputTarget('link.csv', { cwd: dir, flag: '--out' })).toThrow(`--out link.csv is a symbolic link (to ${fs.realpathSync(input)})`);
    expect(outputTarget('new.csv', { cwd: dir, flag: '--out', reading: [input] })).toEqual({ stdout: false, file: path.join(dir, 'new.csv'), shown: 'new.csv' });
  });
});

describe('writing files', () => {
  it('replaces a file in one step, 0600 whatever it was', () => {
    const file = path.join(dir, 'r.html');
    fs.writeFileSync(file, 'old');
    fs.chmodSync(file, 0o644);
    replaceFile(file, 'new');
    expect(fs.readFileSync(file, 'utf8')).toBe('new');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.readdirSync(dir)).toEqual(['r.html']);
  });

  it('puts a temporary file in place or discards it, and removes those of processes that are gone', () => {
    const file = path.join(dir, 'x.rejects.csv');
    fs.writeFileSync(path.join(dir, '.x.rejects.csv.999999.tmp'), 'left by a killed import');
    const temp = tempBeside(file);
    expect(fs.existsSync(path.join(dir, '.x.rejects.csv.999999.tmp'))).toBe(false);
    expect(temp).toBe(tempPathFor(file));
    fs.writeFileSync(temp, 'complete');
    expect(publishTemp(file)).toBe(true);
    expect(fs.readFileSync(file, 'utf8')).toBe('complete');
    fs.writeFileSync(temp, 'half');
    discardTemp(file);
    expect(fs.readFileSync(file, 'utf8')).toBe('complete');
    expect(publishTemp(file)).toBe(false);
  });

  it('reads a small file up to a bound: /dev/zero stops there', () => {
    fs.writeFileSync(path.join(dir, 'a'), 'abc');
    expect(readBounded(path.join(dir, 'a'), 10)?.toString()).toBe('abc');
    expect(readBounded(path.join(dir, 'a'), 2)).toBeNull();
    expect(readBounded('/dev/zero', 1 << 20)).toBeNull();
  });
});

describe('RecordSize: how large the record being read is, without holding it', () => {
  it('counts a record across chunks, ignores line breaks inside quotes, and knows the line it starts on', () => {
    const size = new RecordSize();
    expect(size.add('a,b\nc,"x\ny')).toBe(false);
    expect(size.startLine).toBe(2);
    expect(size.quoted).toBe(true);
    expect(size.add('z""q",d\ne')).toBe(false);
    expect(size.firstEnd).toBe('c,"x\nyz""q",d'.length);
    expect(size.startLine).toBe(4);
    expect(size.current).toBe(1);
  });

  it('says when one record passes 2 MB, quoted or not', () => {
    const plain = new RecordSize();
    expect(plain.add('h\n' + 'x'.repeat(2 * 1024 * 1024))).toBe(false);
    expect(plain.add('x')).toBe(true);
    const quoted = new RecordSize();
    expect(quoted.add('h\n"' + 'x\n'.repeat(1024 * 1024 + 1))).toBe(true);
    expect(quoted.quoted).toBe(true);
    expect(quoted.startLine).toBe(2);
  });
});
