import { TransientError } from '@threadline/core';

/** Two writers changed one flow at once: the later transaction rolls back and is retried. */
export class ConflictError extends TransientError {}
