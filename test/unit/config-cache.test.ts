// A config's settings kept between runs: used only for the same file, bytes, language and build.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cachedSettings, keepSettings } from '../../src/core/config-cache.js';

function cacheEnv() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'followup-cache-'));
  return { dir, env: { XDG_CACHE_HOME: dir } as NodeJS.ProcessEnv };
}

describe('the config cache', () => {
  const bytes = Buffer.from('company: 示例\n');
  const settings = { company: '示例', agents: [{ name: '小王', dailyCapacity: 40 }] };

  it('gives back what was kept for the same file, bytes and language, in a private file', () => {
    const { dir, env } = cacheEnv();
    expect(cachedSettings('/a/followup.config.yaml', bytes, 'en', env)).toBeUndefined();
    keepSettings('/a/followup.config.yaml', bytes, 'en', settings, env);
    expect(cachedSettings('/a/followup.config.yaml', bytes, 'en', env)).toEqual(settings);
    const [entry] = fs.readdirSync(path.join(dir, 'followup'));
    expect(fs.statSync(path.join(dir, 'followup', entry)).mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.join(dir, 'followup')).mode & 0o777).toBe(0o700);
  });

  it('gives nothing for other bytes, another file or another language', () => {
    const { env } = cacheEnv();
    keepSettings('/a/followup.config.yaml', bytes, 'en', settings, env);
    expect(cachedSettings('/a/followup.config.yaml', Buffer.from('company: 另一个\n'), 'en', env)).toBeUndefined();
    expect(cachedSettings('/b/followup.config.yaml', bytes, 'en', env)).toBeUndefined();
    expect(cachedSettings('/a/followup.config.yaml', bytes, 'zh-CN', env)).toBeUndefined();
  });

  it('never uses an entry whose content is not the file (a collision of names, or a planted file)', () => {
    const { dir, env } = cacheEnv();
    keepSettings('/a/followup.config.yaml', bytes, 'en', settings, env);
    const folder = path.join(dir, 'followup');
    const [entry] = fs.readdirSync(folder);
    const kept = JSON.parse(fs.readFileSync(path.join(folder, entry), 'utf8'));
    fs.writeFileSync(path.join(folder, entry), JSON.stringify({ ...kept, source: Buffer.from('other').toString('base64') }));
    expect(cachedSettings('/a/followup.config.yaml', bytes, 'en', env)).toBeUndefined();
    fs.writeFileSync(path.join(folder, entry), 'not json');
    expect(cachedSettings('/a/followup.config.yaml', bytes, 'en', env)).toBeUndefined();
  });

  it('keeps at most 16 entries, and nothing with FOLLOWUP_NO_CACHE', () => {
    const { dir, env } = cacheEnv();
    for (let i = 0; i < 20; i++) keepSettings(`/a/${i}.yaml`, bytes, 'en', settings, env);
    expect(fs.readdirSync(path.join(dir, 'followup'))).toHaveLength(16);
    const off = cacheEnv();
    keepSettings('/a/followup.config.yaml', bytes, 'en', settings, { ...off.env, FOLLOWUP_NO_CACHE: '1' });
    expect(fs.existsSync(path.join(off.dir, 'followup'))).toBe(false);
  });
});
