/**
 * A consumer in a process of its own, so a fault test can kill it with SIGKILL. Started with
 * `node -r @swc-node/register consumer-process.ts`; configured by environment variables; writes
 * `ready` on stdout once its consumer is attached.
 */
import 'reflect-metadata';
import { MessagingRuntime, startService, type RetryPolicy } from '@threadline/messaging';
import { TEST_AMQP_URL } from '@threadline/testing';
import { FaultModule } from './fault-service';
import { faultLogger } from './fault-run';

export const READY_LINE = 'ready';

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`consumer-process: environment variable ${name} is required`);
  return value;
}

async function main(): Promise<void> {
  const runtime = await MessagingRuntime.create({
    amqpUrl: TEST_AMQP_URL,
    database: { url: required('FAULT_DATABASE_URL') },
    logger: faultLogger(),
    retryPolicy: JSON.parse(required('FAULT_RETRY_POLICY')) as RetryPolicy,
    relay: false,
    connectionName: `fault-consumer-${process.pid}`,
  });
  await runtime.start();
  await startService(
    { name: required('FAULT_SERVICE'), module: FaultModule, description: 'fault consumer' },
    runtime,
  );
  process.stdout.write(`${READY_LINE}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`consumer-process failed: ${(error as Error).message}\n`);
  process.exit(1);
});
