import { PermanentError, TransientError, isRetryable, ThreadlineError } from '@threadline/core';

describe('error classification', () => {
  it('marks transient errors retryable and permanent ones not', () => {
    expect(isRetryable(new TransientError('broker away'))).toBe(true);
    expect(isRetryable(new PermanentError('bad request'))).toBe(false);
  });

  it('retries errors it does not know', () => {
    expect(isRetryable(new Error('surprise'))).toBe(true);
  });

  it('keeps name, code and cause', () => {
    const cause = new Error('root');
    const error = new PermanentError('wrapped', { cause });
    expect(error).toBeInstanceOf(ThreadlineError);
    expect(error.name).toBe('PermanentError');
    expect(error.code).toBe('PERMANENT');
    expect(error.cause).toBe(cause);
  });
});
