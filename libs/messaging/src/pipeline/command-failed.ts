import { randomUUID } from 'node:crypto';
import type { CloudEventEnvelope, SchemaRegistry } from '@threadline/schema-registry';
import { parseDataschema } from '@threadline/schema-registry';

const COMMAND_FAILED = 'integration.command.failed';

/**
 * The `integration.command.failed` event for a command given up on (ARCHITECTURE §3.4), or
 * undefined when `event` is not a command. Its idempotencykey is derived from the command's id,
 * so a command dead-lettered twice (a re-drive that fails again) reports once per consumer.
 */
export function commandFailedEvent(
  registry: SchemaRegistry,
  command: CloudEventEnvelope,
  failure: { error: string; attempts: number; queue: string },
  now = new Date(),
): CloudEventEnvelope | undefined {
  const schema = parseDataschema(command.dataschema);
  const entry = schema && registry.get(schema.type, schema.major);
  if (entry?.kind !== 'command') return undefined;
  const owner = (entry.schema['x-threadline'] as { owner?: string } | undefined)?.owner ?? 'ERP';
  const id = randomUUID();
  return {
    specversion: '1.0',
    id,
    type: COMMAND_FAILED,
    source: `/plants/${command.plant}/threadline/${queueLabel(failure.queue)}`,
    time: now.toISOString(),
    subject: command.id,
    datacontenttype: 'application/json',
    dataschema: `urn:threadline:schema:${COMMAND_FAILED}:1`,
    correlationid: command.correlationid,
    causationid: command.id,
    idempotencykey: `threadline:${command.id}:failed`,
    plant: command.plant,
    data: {
      commandId: command.id,
      commandType: command.type,
      targetSystem: owner,
      error: failure.error.slice(0, 4000) || 'unknown error',
      attempts: Math.max(1, failure.attempts),
      failedAt: now.toISOString(),
    },
  };
}

/** `threadline.connector-erp.commands` -> `connector-erp.commands` (fits the source pattern). */
function queueLabel(queue: string): string {
  return queue
    .replace(/^threadline\./, '')
    .replace(/[^A-Za-z0-9._-]/g, '-')
    .slice(0, 128);
}
