// Numbered migrations, applied in order, each in its own transaction. Never edit a released one:
// add the next number. The highest number is the schema version this build understands.
//
// Each is an SQL file beside this one (copied into dist/ by the build), read only when a database
// needs it: a command on an up-to-date database loads none of them (a module each cost a
// millisecond at every start).
import { readFileSync } from 'node:fs';

export interface Migration {
  version: number;
  name: string;
  /** The migration's SQL, read from its file. */
  sql(): string;
}

const NAMES = ['initial', 'plans', 'calls', 'statuses'] as const;

export const MIGRATIONS: readonly Migration[] = NAMES.map((name, i) => {
  const version = i + 1;
  const file = `${String(version).padStart(3, '0')}_${name}.sql`;
  return { version, name, sql: () => readFileSync(new URL(`./${file}`, import.meta.url), 'utf8') };
});

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1].version;
