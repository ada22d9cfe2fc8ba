import { Header, attemptsOf, failureHeaders, headerSafe, redriveHeaders } from './message-headers';

describe('message headers', () => {
  const now = new Date('2026-05-14T08:30:00.000Z');

  it('records the first failure', () => {
    const headers = failureHeaders(
      { [Header.IdempotencyKey]: 'qms:NCR-1:raised' },
      { attempts: 1, error: 'boom', queue: 'q' },
      now,
    );
    expect(headers).toEqual({
      [Header.IdempotencyKey]: 'qms:NCR-1:raised',
      [Header.Attempts]: 1,
      [Header.ErrorMessage]: 'boom',
      [Header.FirstFailedAt]: now.toISOString(),
      [Header.LastFailedAt]: now.toISOString(),
      [Header.OriginalQueue]: 'q',
    });
  });

  it('keeps the first failure time and drops RabbitMQ dead-letter bookkeeping on later ones', () => {
    const earlier = failureHeaders(
      {},
      { attempts: 1, error: 'first', queue: 'q' },
      new Date('2026-05-14T08:00:00Z'),
    );
    const later = failureHeaders(
      { ...earlier, 'x-death': [{ count: 1 }], 'x-first-death-queue': 'q.retry.1000ms' },
      { attempts: 2, error: 'second', queue: 'q', kind: 'max-attempts' },
      now,
    );
    expect(later[Header.FirstFailedAt]).toBe('2026-05-14T08:00:00.000Z');
    expect(later[Header.LastFailedAt]).toBe(now.toISOString());
    expect(later[Header.ErrorKind]).toBe('max-attempts');
    expect(later).not.toHaveProperty('x-death');
    expect(later).not.toHaveProperty('x-first-death-queue');
  });

  it('clears the failure history for a re-drive but keeps the idempotency key', () => {
    const failed = failureHeaders(
      { [Header.IdempotencyKey]: 'k' },
      { attempts: 8, error: 'x', queue: 'q', kind: 'max-attempts' },
      now,
    );
    expect(redriveHeaders(failed)).toEqual({ [Header.IdempotencyKey]: 'k' });
  });

  it('reads attempts defensively', () => {
    expect(attemptsOf({})).toBe(0);
    expect(attemptsOf({ [Header.Attempts]: 3 })).toBe(3);
    expect(attemptsOf({ [Header.Attempts]: 'garbage' })).toBe(0);
    expect(attemptsOf({ [Header.Attempts]: -2 })).toBe(0);
  });

  it('keeps error messages to one bounded line', () => {
    expect(headerSafe('a\n  b\tc')).toBe('a b c');
    expect(headerSafe('x'.repeat(2_000), 10)).toHaveLength(10);
  });
});
