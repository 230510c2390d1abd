// Numbered migrations, applied in order, each in its own transaction. Never edit a released one:
// add the next number. The highest number is the schema version this build understands.
import { sql as initial } from './001_initial.js';
import { sql as plans } from './002_plans.js';
import { sql as calls } from './003_calls.js';
import { sql as statuses } from './004_statuses.js';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  { version: 1, name: 'initial', sql: initial },
  { version: 2, name: 'plans', sql: plans },
  { version: 3, name: 'calls', sql: calls },
  { version: 4, name: 'statuses', sql: statuses },
];

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1].version;
