import type { ThreadlineContext } from '@threadline/messaging';
import type { CloudEventEnvelope } from '@threadline/schema-registry';
import type { ConnectorHost } from '../runtime/connector.host';

/**
 * The body of every connector command handler: execute against the target, then publish the
 * success event through the outbox in the command's transaction, so the inbox row, the answer
 * and the acknowledgement commit together.
 */
export async function executeCommand(
  host: ConnectorHost,
  command: CloudEventEnvelope,
  context: ThreadlineContext,
): Promise<void> {
  const success = await host.execute(command);
  await context.publish(success as unknown as CloudEventEnvelope);
}
