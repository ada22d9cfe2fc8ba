import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DiagnosticSeverity, Parser } from '@asyncapi/parser';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { loadSchemaDirectory } from '../schema-directory.loader';
import type { SchemaDirectory } from '../schema-registry.types';
import { generateAsyncApiDocument } from './asyncapi-document';
import { buildComponentSchemas } from './asyncapi-schemas';
import { ASYNCAPI_HEADER, renderAsyncApiYaml } from './asyncapi-yaml';

// The generated document is inspected as plain JSON.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const root = join(__dirname, '..', '..', '..', '..');
const version = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version as string;
const directory = loadSchemaDirectory(join(root, 'schemas'));
const generated = renderAsyncApiYaml(generateAsyncApiDocument(directory, { version }));
const document: Json = generateAsyncApiDocument(directory, { version });

describe('AsyncAPI document', () => {
  it('parses with @asyncapi/parser without errors or warnings', async () => {
    const { document: parsed, diagnostics } = await new Parser().parse(generated);
    const problems = diagnostics
      .filter((diagnostic) => Number(diagnostic.severity) <= Number(DiagnosticSeverity.Warning))
      .map((diagnostic) => `${diagnostic.path.join('.')}: ${diagnostic.message}`);
    expect(problems).toEqual([]);
    expect(parsed?.channels().length).toBe(directory.entries.length + 2);
  }, 30_000);

  it('is what the committed docs/asyncapi.yaml says', () => {
    const file = join(root, 'docs', 'asyncapi.yaml');
    const committed = existsSync(file) ? readFileSync(file, 'utf8') : '';
    const verdict =
      committed === generated
        ? 'up to date'
        : 'docs/asyncapi.yaml is stale: run npm run gen:asyncapi';
    expect(verdict).toBe('up to date');
  });

  it('is deterministic and marked as generated', () => {
    const again = renderAsyncApiYaml(generateAsyncApiDocument(directory, { version }));
    expect(again).toBe(generated);
    expect(generated.startsWith(`#${ASYNCAPI_HEADER.split('\n')[0]}`)).toBe(true);
    expect(generated).toContain('Do not edit');
  });

  it('describes both exchanges as durable topic exchanges with a routing-key channel per type', () => {
    const exchange = document.channels['threadline.commands'].bindings.amqp;
    expect(exchange).toEqual({
      is: 'routingKey',
      exchange: {
        name: 'threadline.commands',
        type: 'topic',
        durable: true,
        autoDelete: false,
        vhost: '/',
      },
      bindingVersion: '0.3.0',
    });
    const channel = document.channels['quality.nonconformance.raised'];
    expect(channel.address).toBe('quality.nonconformance.raised');
    expect(channel.bindings.amqp.exchange.name).toBe('threadline.events');
    expect(Object.keys(document.channels['threadline.events'].messages)).toContain(
      'quality.nonconformance.raised.v1',
    );
  });

  it('has an operation on every channel: send for events, send and receive for commands', () => {
    const operations: Array<{ channel: { $ref: string } }> = Object.values(document.operations);
    const channelsWithOperations = new Set(operations.map((operation) => operation.channel.$ref));
    for (const name of Object.keys(document.channels)) {
      expect(channelsWithOperations).toContain(`#/channels/${name}`);
    }
    expect(document.operations['send.quality.nonconformance.raised'].action).toBe('send');
    expect(
      document.operations['send.quality.nonconformance.raised'].bindings.amqp.deliveryMode,
    ).toBe(2);
    expect(document.operations['receive.erp.inventory.hold.place'].summary).toContain(
      'answers with inventory.hold.placed',
    );
  });

  it('wraps data in the CloudEvent envelope and pins type and dataschema', () => {
    const message = document.components.messages['erp.inventory.hold.place.v1'];
    expect(message.contentType).toBe('application/cloudevents+json');
    expect(message.bindings.amqp.messageType).toBe('erp.inventory.hold.place');
    const [envelope, pinned] = message.payload.schema.allOf;
    expect(envelope).toEqual({ $ref: '#/components/schemas/CloudEventEnvelope' });
    expect(pinned.properties).toEqual({
      type: { const: 'erp.inventory.hold.place' },
      dataschema: { const: 'urn:threadline:schema:erp.inventory.hold.place:1' },
      data: { $ref: '#/components/schemas/erp.inventory.hold.place.v1' },
    });
  });
});

describe('component schemas', () => {
  const components = buildComponentSchemas(directory);
  // A draft-07 validator over the components proves the rewritten $refs still mean the same.
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  const base = 'https://threadline.test/asyncapi';
  ajv.addSchema({
    $id: base,
    components: { schemas: components, messages: document.components.messages },
  });

  it.each(directory.entries.map((entry) => [`${entry.type} v${entry.major}`, entry] as const))(
    '%s accepts its own examples and rejects an unknown field',
    (_name, entry) => {
      const validate = ajv.getSchema(`${base}#/components/schemas/${entry.type}.v${entry.major}`)!;
      const examples = entry.schema.examples as Array<Record<string, unknown>>;
      expect(examples.length).toBeGreaterThan(0);
      for (const example of examples) {
        expect(validate(example) ? [] : validate.errors).toEqual([]);
        expect(validate({ ...example, unexpectedField: 1 })).toBe(false);
      }
    },
  );

  it('keeps shared definitions shared: a value breaking common.Id fails where Id is used', () => {
    const validate = ajv.getSchema(`${base}#/components/schemas/quality.nonconformance.raised.v1`)!;
    const entry = directory.entries.find((item) => item.type === 'quality.nonconformance.raised');
    const example = (entry!.schema.examples as Json[])[0];
    expect(validate({ ...example, lotIds: ['has space'] })).toBe(false);
    expect(validate.errors?.[0].instancePath).toBe('/lotIds/0');
  });

  it('accepts a whole CloudEvent as the payload of its own message only', () => {
    const payload = (message: string) =>
      ajv.getSchema(`${base}#/components/messages/${message}/payload/schema`)!;
    const cloudEvent = directory.envelope.examples as unknown[];
    expect(payload('quality.nonconformance.raised.v1')(cloudEvent[0])).toBe(true);
    expect(payload('quality.nonconformance.closed.v1')(cloudEvent[0])).toBe(false);
  });

  it('refuses 2020-12 keywords that AsyncAPI cannot carry, naming the file', () => {
    const [first, ...rest] = directory.entries;
    const broken: SchemaDirectory = {
      ...directory,
      entries: [{ ...first, schema: { ...first.schema, prefixItems: [] } }, ...rest],
    };
    expect(() => buildComponentSchemas(broken)).toThrow(
      `${first.file}: keyword 'prefixItems' has no JSON Schema draft-07 equivalent`,
    );
  });
});
