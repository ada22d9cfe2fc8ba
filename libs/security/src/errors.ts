/** The caller is not authenticated (401): no credential, or one that does not hold. */
export class AuthenticationError extends Error {
  constructor(
    /** Why, naming the rule (never the credential). */
    readonly reason: string,
    readonly credential: 'bearer' | 'api-key' | 'none',
  ) {
    super(reason);
    this.name = 'AuthenticationError';
  }
}

/** The identity provider's keys cannot be had right now (503): not the caller's fault. */
export class AuthenticationUnavailableError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'AuthenticationUnavailableError';
  }
}

/** The contract's Id: what a principal's id must be, so it can be an Actor in a command. */
export const PRINCIPAL_ID = /^[A-Za-z0-9][A-Za-z0-9._:/-]{0,63}$/;
