import {
  DeadLetterQueueError,
  Header,
  assertDeadLetterQueue,
  deadLetterBodyText,
  deadLetterDepths,
  deadLetterQueuesOf,
  redriveDeadLetters,
  type DeadLetter,
  type MessagingRuntime,
} from '@threadline/messaging';
import { runtimeFromEnv } from '../runtime/runtime-from-env';
import { SERVICE_NAMES } from '../services/service-names';
import type { CliContext } from './cli-context';
import { ExitCode } from './cli-io';
import { CliError } from './cli.errors';

export interface RedriveOptions {
  id?: string[];
  all?: boolean;
  actor?: string;
  reason?: string;
}

export async function withRuntime(
  context: CliContext,
  work: (runtime: MessagingRuntime) => Promise<ExitCode>,
) {
  if (!context.io.env.AMQP_URL) {
    throw new CliError(
      'dlq needs AMQP_URL: on the embedded default the dead-letter queues live inside the running process',
    );
  }
  const { runtime } = await runtimeFromEnv(context.io.env, 'threadline-cli', {
    level: context.io.env.LOG_LEVEL ?? 'warn',
    toStderr: true,
  });
  try {
    await runtime.driver.start();
    return await work(runtime);
  } finally {
    await runtime.driver.stop();
    await runtime.dataSource.destroy();
  }
}

export async function list(
  context: CliContext,
  runtime: MessagingRuntime,
  queues: string[],
  options: { json?: boolean },
) {
  const rows = await deadLetterDepths(
    runtime.driver,
    queues.length > 0 ? queues : deadLetterQueuesOf(SERVICE_NAMES, runtime.retryPolicy.delaysMs),
  );
  const missing = queues.find((queue) => !rows.some((row) => row.queue === queue));
  if (missing !== undefined) throw new CliError(`queue '${missing}' does not exist`);
  if (options.json) context.io.stdout(`${JSON.stringify(rows, null, 2)}\n`);
  else if (rows.length === 0) context.io.stdout('no dead-letter queues declared yet\n');
  else {
    const width = Math.max(...rows.map((r) => r.queue.length));
    for (const row of rows) context.io.stdout(`${row.queue.padEnd(width)}  ${row.depth}\n`);
  }
  return ExitCode.ok;
}

export async function show(
  context: CliContext,
  runtime: MessagingRuntime,
  queue: string,
  options: { limit: string; json?: boolean },
) {
  const limit = Number(options.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 10_000) {
    throw new CliError(`--limit must be a whole number from 1 to 10000, got '${options.limit}'`);
  }
  await asCliError(assertDeadLetterQueue(runtime.driver, queue));
  const letters = await runtime.driver.peekDeadLetters(queue, limit);
  if (options.json) {
    context.io.stdout(`${JSON.stringify(letters.map(describeLetter), null, 2)}\n`);
    return ExitCode.ok;
  }
  if (letters.length === 0) context.io.stdout(`${queue} is empty\n`);
  for (const letter of letters) {
    const d = describeLetter(letter);
    context.io.stdout(
      `--- ${d.messageId} (${d.routingKey})\n` +
        `kind: ${headerText(d.headers[Header.ErrorKind], '?')}  attempts: ${headerText(d.headers[Header.Attempts], '?')}  ` +
        `first failed: ${headerText(d.headers[Header.FirstFailedAt], '?')}  last failed: ${headerText(d.headers[Header.LastFailedAt], '?')}\n` +
        `error: ${headerText(d.headers[Header.ErrorMessage], '')}\n${d.body}\n`,
    );
  }
  return ExitCode.ok;
}

export async function redrive(
  context: CliContext,
  runtime: MessagingRuntime,
  queue: string,
  options: RedriveOptions,
) {
  if (!options.all && !options.id?.length)
    throw new CliError('say which messages: --id <messageId...> or --all');
  if (options.all && options.id?.length) throw new CliError('--id and --all exclude each other');
  const outcome = await asCliError(
    redriveDeadLetters(runtime, queue, {
      ids: options.id,
      actor: options.actor ?? context.io.env.USER ?? 'unknown',
      reason: options.reason ?? null,
      onProgress: (count) => {
        if (count % 500 === 0) context.io.stderr(`re-driven ${count}...\n`);
      },
    }),
  );
  context.io.stdout(`re-drove ${outcome.moved} message(s) from ${queue}\n`);
  if (outcome.missingIds.length > 0) {
    context.io.stderr(`${outcome.missingIds.length} of the given id(s) were not in ${queue}\n`);
    return ExitCode.problemsFound;
  }
  return ExitCode.ok;
}

/** A queue that is no dead-letter queue, or does not exist, is the user's input: exit 2. */
async function asCliError<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (error instanceof DeadLetterQueueError) {
      throw new CliError(error.message);
    }
    throw error;
  }
}

function describeLetter(letter: DeadLetter) {
  return {
    messageId: letter.messageId,
    routingKey: letter.routingKey,
    headers: letter.headers,
    body: deadLetterBodyText(letter),
  };
}

function headerText(value: unknown, fallback: string): string {
  if (value === undefined || value === null) return fallback;
  return typeof value === 'string' ? value : JSON.stringify(value);
}
