import { ThreadlineError } from '@threadline/core';
import { ConnectorCursor } from '@threadline/persistence';
import type { DataSource, EntityManager } from 'typeorm';

/** Column width of `connector` and `stream` in `connector_cursor`. */
export const CURSOR_NAME_MAX_LENGTH = 100;

/**
 * The persisted read position of each polled stream (table `connector_cursor`).
 *
 * No gap, no repeat: a poll reads a batch after `get()`, then writes its events to the outbox
 * AND calls `advance()` in ONE transaction. If the process dies before the commit, neither the
 * events nor the new position exist and the batch is read again; after the commit both exist.
 * `advance` therefore refuses to run outside a transaction.
 */
export class CursorStore {
  constructor(private readonly dataSource: DataSource) {}

  /** The stored position, or `undefined` for a stream never read (start from the beginning). */
  async get(connector: string, stream: string): Promise<string | undefined> {
    checkName('connector', connector);
    checkName('stream', stream);
    const cursor = await this.dataSource
      .getRepository(ConnectorCursor)
      .findOneBy({ connector, stream });
    return cursor?.position;
  }

  /**
   * Moves the cursor to `position` within `manager`'s transaction (the one inserting the outbox
   * rows for the events read), creating it on the first advance.
   */
  async advance(
    manager: EntityManager,
    connector: string,
    stream: string,
    position: string,
  ): Promise<void> {
    checkName('connector', connector);
    checkName('stream', stream);
    if (typeof position !== 'string' || position === '') {
      throw new ThreadlineError('VALIDATION_FAILED', 'cursor position must be a non-empty string');
    }
    if (manager.queryRunner?.isTransactionActive !== true) {
      throw new ThreadlineError(
        'VALIDATION_FAILED',
        `cursor ${connector}/${stream}: advance must run inside the transaction that writes the outbox, or a crash could lose or repeat events`,
      );
    }
    await manager
      .getRepository(ConnectorCursor)
      .upsert({ connector, stream, position, updatedAt: new Date() }, ['connector', 'stream']);
  }
}

function checkName(field: 'connector' | 'stream', value: string): void {
  if (typeof value !== 'string' || value === '' || value.length > CURSOR_NAME_MAX_LENGTH) {
    throw new ThreadlineError(
      'VALIDATION_FAILED',
      `cursor ${field} must be 1 to ${CURSOR_NAME_MAX_LENGTH} characters, got ${JSON.stringify(value)}`,
    );
  }
}
