// Two kinds of failure reach the top of the program: a UserError is something the user can fix
// (a wrong path, a malformed file, a bad flag) and prints one line; anything else is a bug.
import { t, type MessageId, type Params } from '../messages/index.js';

export const EXIT_OK = 0;
export const EXIT_USER_ERROR = 1;
export const EXIT_USAGE = 2;

export class UserError extends Error {
  constructor(
    readonly id: MessageId,
    readonly params: Params = {},
    readonly exitCode: number = EXIT_USER_ERROR,
  ) {
    super(t(id, params));
    this.name = 'UserError';
  }
}

/** A bad flag or argument value, found while validating options: exit code 2 like commander's own. */
export class UsageError extends UserError {
  constructor(id: MessageId, params: Params = {}) {
    super(id, params, EXIT_USAGE);
    this.name = 'UsageError';
  }
}
