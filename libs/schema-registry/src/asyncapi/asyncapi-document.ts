import type { SchemaDirectory, SchemaEntry } from '../schema-registry.types';
import {
  buildComponentSchemas,
  componentReference,
  dataComponentName,
  ENVELOPE_COMPONENT,
} from './asyncapi-schemas';

export interface AsyncApiOptions {
  /** Threadline's version (package.json), shown as the API version. */
  version: string;
}

export type AsyncApiDocument = Record<string, unknown>;

const AMQP_BINDING_VERSION = '0.3.0';
const CONTENT_TYPE = 'application/cloudevents+json';
const PAYLOAD_SCHEMA_FORMAT = 'application/schema+json;version=draft-07';

const EXCHANGES = {
  event: {
    name: 'threadline.events',
    description:
      'Facts (past tense) from ERP, MES, QMS, CMMS, PLC connectors and Threadline itself.',
  },
  command: {
    name: 'threadline.commands',
    description:
      "Requests to the connector of the system that owns the data (the command's owner).",
  },
} as const;

const DESCRIPTION = [
  'The public message contract of Threadline (EVENT-CATALOG.md): every message is a CloudEvents 1.0',
  'envelope in structured JSON mode, published to a durable topic exchange with the event or command',
  'type as routing key. `dataschema` (urn:threadline:schema:<type>:<major>) names the schema of `data`;',
  'a breaking change is published as a new major beside the old one. Messages are persistent',
  '(delivery mode 2) and carry the header x-idempotency-key; each consumer has its own quorum queue,',
  'with retry tiers on threadline.retry and dead letters on threadline.dlx.',
].join(' ');

/** The AsyncAPI 3.0 description of the broker contract, built from the schema directory alone. */
export function generateAsyncApiDocument(
  directory: SchemaDirectory,
  options: AsyncApiOptions,
): AsyncApiDocument {
  const entriesByType = groupByType(directory.entries);
  return {
    asyncapi: '3.0.0',
    info: {
      title: 'Threadline',
      version: options.version,
      description: DESCRIPTION,
      license: { name: 'Apache-2.0', url: 'https://www.apache.org/licenses/LICENSE-2.0' },
    },
    defaultContentType: CONTENT_TYPE,
    servers: {
      rabbitmq: {
        host: '127.0.0.1:5672',
        protocol: 'amqp',
        protocolVersion: '0.9.1',
        description: 'Example: a local RabbitMQ. Deployments set AMQP_URL (amqps:// for TLS).',
      },
    },
    channels: buildChannels(entriesByType),
    operations: buildOperations(entriesByType),
    components: {
      schemas: buildComponentSchemas(directory),
      messages: Object.fromEntries(
        directory.entries.map((entry) => [dataComponentName(entry), buildMessage(entry)]),
      ),
    },
  };
}

function groupByType(entries: readonly SchemaEntry[]): Map<string, SchemaEntry[]> {
  const groups = new Map<string, SchemaEntry[]>();
  for (const entry of entries) groups.set(entry.type, [...(groups.get(entry.type) ?? []), entry]);
  return groups;
}

function exchangeBinding(kind: SchemaEntry['kind']) {
  return {
    amqp: {
      is: 'routingKey',
      exchange: {
        name: EXCHANGES[kind].name,
        type: 'topic',
        durable: true,
        autoDelete: false,
        vhost: '/',
      },
      bindingVersion: AMQP_BINDING_VERSION,
    },
  };
}

function channelMessages(entries: readonly SchemaEntry[]): Record<string, unknown> {
  return Object.fromEntries(
    entries.map((entry) => [
      dataComponentName(entry),
      { $ref: `#/components/messages/${dataComponentName(entry)}` },
    ]),
  );
}

function buildChannels(entriesByType: Map<string, SchemaEntry[]>): Record<string, unknown> {
  const channels: Record<string, unknown> = {};
  for (const kind of ['event', 'command'] as const) {
    const entries = [...entriesByType.values()].flat().filter((entry) => entry.kind === kind);
    channels[EXCHANGES[kind].name] = {
      address: '#',
      title: `${EXCHANGES[kind].name} exchange`,
      description:
        `${EXCHANGES[kind].description} Every ${kind} type on the exchange: bind a queue with '#' ` +
        `or a narrower topic pattern (e.g. ${kind === 'event' ? 'quality.#' : 'erp.#'}).`,
      messages: channelMessages(entries),
      bindings: exchangeBinding(kind),
    };
  }
  for (const [type, entries] of entriesByType) {
    const kind = entries[0].kind;
    channels[type] = {
      address: type,
      title: type,
      description: `Routing key ${type} on ${EXCHANGES[kind].name}. ${describe(entries[0])}`,
      messages: channelMessages(entries),
      bindings: exchangeBinding(kind),
    };
  }
  return channels;
}

function buildMessage(entry: SchemaEntry): Record<string, unknown> {
  const annotation = annotationOf(entry);
  return {
    name: entry.type,
    title: `${entry.type} v${entry.major}`,
    summary: describe(entry),
    contentType: CONTENT_TYPE,
    correlationId: {
      description: 'The business transaction this message belongs to.',
      location: '$message.payload#/correlationid',
    },
    headers: {
      type: 'object',
      properties: {
        'x-idempotency-key': {
          type: 'string',
          description: 'Same as the envelope idempotencykey: one effect per key and consumer.',
        },
      },
    },
    payload: {
      // The converted schemas use draft-07 keywords only (see asyncapi-schemas.ts).
      schemaFormat: PAYLOAD_SCHEMA_FORMAT,
      schema: {
        allOf: [
          componentReference(ENVELOPE_COMPONENT),
          {
            type: 'object',
            properties: {
              type: { const: entry.type },
              dataschema: { const: entry.id },
              data: componentReference(dataComponentName(entry)),
            },
          },
        ],
      },
    },
    bindings: { amqp: { messageType: entry.type, bindingVersion: AMQP_BINDING_VERSION } },
    'x-threadline': { ...annotation, dataschema: entry.id },
  };
}

function buildOperations(entriesByType: Map<string, SchemaEntry[]>): Record<string, unknown> {
  const operations: Record<string, unknown> = {};
  for (const [type, entries] of entriesByType) {
    const first = entries[0];
    const messages = entries.map((entry) => ({
      $ref: `#/channels/${type}/messages/${dataComponentName(entry)}`,
    }));
    const channel = { $ref: `#/channels/${type}` };
    const owner = stringOr(annotationOf(first).owner, 'owning system');
    operations[`send.${type}`] = {
      action: 'send',
      channel,
      summary:
        first.kind === 'event'
          ? `A connector (or Threadline itself) publishes ${type}.`
          : `Threadline sends ${type} to the ${owner} connector. ${describe(first)}`,
      messages,
      bindings: {
        amqp: { deliveryMode: 2, timestamp: true, bindingVersion: AMQP_BINDING_VERSION },
      },
    };
    if (first.kind === 'command') {
      operations[`receive.${type}`] = {
        action: 'receive',
        channel,
        summary: commandReceiveSummary(type, owner, annotationOf(first).successEvent),
        messages,
        bindings: { amqp: { ack: true, bindingVersion: AMQP_BINDING_VERSION } },
      };
    }
  }
  for (const kind of ['event', 'command'] as const) {
    const name = EXCHANGES[kind].name;
    operations[`receive.${name}`] = {
      action: 'receive',
      channel: { $ref: `#/channels/${name}` },
      summary:
        kind === 'event'
          ? 'A consumer (orchestrator, traceability, event log, a downstream data platform) receives events on its own quorum queue.'
          : "A connector receives the commands its system owns on its own quorum queue (e.g. bound with 'erp.#').",
      bindings: { amqp: { ack: true, bindingVersion: AMQP_BINDING_VERSION } },
    };
  }
  return operations;
}

function commandReceiveSummary(type: string, owner: string, successEvent: unknown): string {
  const answer =
    typeof successEvent === 'string'
      ? `answers with ${successEvent} (causationid = the command id)`
      : 'answers with the matching event';
  return `The ${owner} connector executes ${type} once per idempotencykey and ${answer}, or with integration.command.failed once retries are spent.`;
}

function annotationOf(entry: SchemaEntry): Record<string, unknown> {
  const annotation = entry.schema['x-threadline'];
  return typeof annotation === 'object' && annotation !== null
    ? (annotation as Record<string, unknown>)
    : {};
}

function describe(entry: SchemaEntry): string {
  return stringOr(entry.schema.description, entry.type);
}

function stringOr(value: unknown, fallback: string): string {
  return typeof value === 'string' ? value : fallback;
}
