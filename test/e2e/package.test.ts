// The package as a user gets it: `npm pack`, then `npm install -g` of the tarball into a folder of
// its own, then `followup demo` from a folder that has nothing of the project in it. The tarball
// holds the licence, the built program, the fixtures and scripts, and no source map that points
// at a file it does not ship.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from './helpers.js';

let tmp: string;
let tarball: string;

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'followup-pack-'));
  // The build is fresh (npm test builds first): pack it as it is.
  const name = execFileSync('npm', ['pack', '--ignore-scripts', '--pack-destination', tmp, '--silent'], { cwd: ROOT, encoding: 'utf8' }).trim().split('\n').pop()!;
  tarball = path.join(tmp, name);
}, 120_000);
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('the packed tarball', () => {
  it('ships the licence and the program, not the tests or the sources; every source map carries its sources', () => {
    const files = execFileSync('tar', ['tzf', tarball], { encoding: 'utf8' }).trim().split('\n');
    for (const needed of ['package/LICENSE', 'package/README.md', 'package/package.json', 'package/bin/followup', 'package/dist/cli.js', 'package/dist/messages/zh-CN.json', 'package/fixtures/customers.csv', 'package/scripts/zh-CN/after-sale.yaml']) {
      expect(files).toContain(needed);
    }
    expect(files.filter((f) => f.startsWith('package/test/') || f.startsWith('package/src/'))).toEqual([]);
    const unpacked = path.join(tmp, 'unpacked');
    fs.mkdirSync(unpacked);
    execFileSync('tar', ['xzf', tarball, '-C', unpacked]);
    const maps = files.filter((f) => f.endsWith('.map'));
    expect(maps.length).toBeGreaterThan(10);
    for (const map of maps) {
      const { sources, sourcesContent } = JSON.parse(fs.readFileSync(path.join(unpacked, map), 'utf8')) as { sources: string[]; sourcesContent?: string[] };
      // Either the map carries the text of its sources, or the sources are in the package.
      for (const [i, source] of sources.entries()) {
        const shipped = fs.existsSync(path.resolve(path.dirname(path.join(unpacked, map)), source));
        expect(shipped || typeof sourcesContent?.[i] === 'string', `${map} → ${source}`).toBe(true);
      }
    }
  });

  it('installs globally and runs `followup demo` from any folder', () => {
    const prefix = path.join(tmp, 'global');
    // From npm's cache where it can (the project's own install filled it), else the registry.
    const install = spawnSync('npm', ['install', '-g', '--prefix', prefix, '--prefer-offline', '--no-audit', '--no-fund', tarball], { encoding: 'utf8', timeout: 540_000 });
    expect(install.status, install.stderr).toBe(0);
    const bin = path.join(prefix, 'bin', 'followup');
    expect(fs.existsSync(bin)).toBe(true);
    const elsewhere = fs.mkdtempSync(path.join(tmp, 'elsewhere-'));
    const env = { ...process.env, NO_COLOR: '1', LANG: 'C', XDG_CACHE_HOME: path.join(tmp, 'cache') };
    delete env.LC_ALL;
    const version = spawnSync(bin, ['--version'], { cwd: elsewhere, encoding: 'utf8', env });
    expect(version.stdout.trim()).toBe((JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version);
    const demo = spawnSync(bin, ['demo'], { cwd: elsewhere, encoding: 'utf8', env, timeout: 120_000 });
    expect(demo.status, demo.stderr).toBe(0);
    // The demo makes a folder of its own and names it: it holds the database, the config and the report.
    const folder = /(\/\S*followup-demo-[A-Za-z0-9]+)/.exec(demo.stdout + demo.stderr)?.[1];
    expect(folder, demo.stdout).toBeDefined();
    try {
      for (const file of ['followup.db', 'followup.config.yaml']) expect(fs.existsSync(path.join(folder!, file))).toBe(true);
      expect(fs.readdirSync(folder!).some((f) => f.endsWith('.html'))).toBe(true);
    } finally {
      fs.rmSync(folder!, { recursive: true, force: true });
    }
    // Nothing was written where it was run.
    expect(fs.readdirSync(elsewhere)).toEqual([]);
  }, 600_000);
});
