export class UserNotFoundError extends Error {
  constructor(readonly username: string) {
    super(`no user ${username}`);
  }
}

/** A user change that breaks a rule: a nurse without a ward, an administrator locking herself out. */
export class UserRulesError extends Error {}
