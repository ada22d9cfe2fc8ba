import { PermanentError } from '@threadline/core';
import { buildEnvelope, type CloudEvent } from '@threadline/contracts';
import type { MetricsRegistry } from '@threadline/observability';
import type { SchemaRegistry } from '@threadline/schema-registry';
import type { ConnectorConfig } from '../config/connector-config.types';
import { schemaSubjectField } from '../mapping/inbound-mapper';
import { CompiledCommandBinding } from './command-request';
import type { ConnectorAdapter, ConnectorSpec } from './connector-spec.types';

export interface CommandExecutorOptions {
  config: ConnectorConfig;
  spec: ConnectorSpec;
  adapter: ConnectorAdapter;
  registry: SchemaRegistry;
  metrics?: MetricsRegistry;
  now?: () => Date;
}

/** Loose `buildEnvelope` for a success type known only from the spec at run time. */
type BuildUntypedEnvelope = (input: {
  type: string;
  data: object;
  subject: string;
  source: { plant: string; system: string; connectorId: string };
  fact: { key: string };
  cause: CloudEvent;
  time: string;
}) => CloudEvent;
const buildUntypedEnvelope = buildEnvelope as unknown as BuildUntypedEnvelope;

/**
 * Runs one command against the target and returns its success event (EVENT-CATALOG §5):
 * causationid = the command's id, correlationid carried over, and an idempotency key derived
 * from the command's, so a command executed twice answers with one fact. Failures keep their
 * class: TransientError to retry, PermanentError to the DLQ (which emits
 * integration.command.failed).
 */
export class CommandExecutor {
  private readonly bindings = new Map<string, CompiledCommandBinding>();

  constructor(private readonly options: CommandExecutorOptions) {
    const connector = options.config.metadata.name;
    for (const binding of options.config.spec.outbound?.commands ?? []) {
      this.bindings.set(binding.type, new CompiledCommandBinding(binding, connector));
    }
  }

  /** Command types this connector is configured to execute. */
  commandTypes(): string[] {
    return [...this.bindings.keys()];
  }

  async execute(command: CloudEvent): Promise<CloudEvent> {
    const { config, adapter } = this.options;
    const compiled = this.bindings.get(command.type);
    if (!compiled) {
      throw new PermanentError(
        `connector ${config.metadata.name} has no outbound binding for ${command.type}`,
      );
    }
    const request = await compiled.request(command);
    const answer = await adapter.execute({ command, binding: compiled.binding, request });
    const data = await compiled.result.evaluate({
      command,
      response: answer.response,
      status: answer.status,
    });
    return this.successEvent(command, data, compiled);
  }

  private async successEvent(
    command: CloudEvent,
    data: unknown,
    compiled: CompiledCommandBinding,
  ): Promise<CloudEvent> {
    const mappingName = compiled.result.name;
    const { config, spec, registry, metrics } = this.options;
    const type = spec.commands[command.type];
    const entry = registry.get(type, 1);
    const subjectField = entry ? schemaSubjectField(entry.schema) : undefined;
    const record = (typeof data === 'object' && data !== null ? data : {}) as Record<
      string,
      unknown
    >;
    const subject = subjectField ? record[subjectField] : undefined;
    const key = await compiled.answerKey(command, record, spec.system, subjectField);
    const event = buildUntypedEnvelope({
      type,
      data: record,
      subject: typeof subject === 'string' && subject !== '' ? subject : command.subject,
      source: { plant: command.plant, system: spec.system, connectorId: config.metadata.name },
      fact: { key },
      cause: command,
      time: (this.options.now?.() ?? new Date()).toISOString(),
    });
    const validation = registry.validate(event);
    if (!validation.valid) {
      metrics?.mappingOutputInvalid.inc({ connector: config.metadata.name, type });
      const problems = validation.errors
        .map((error) => `${error.path || '(root)'} ${error.message}`)
        .join('; ');
      throw new PermanentError(
        `mapping ${mappingName} made an invalid ${type} (the target has acted; fix the mapping and re-drive): ${problems}`,
      );
    }
    return event;
  }
}
