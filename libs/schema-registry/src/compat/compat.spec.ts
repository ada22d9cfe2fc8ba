import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findSchemasDirectory, loadSchemaDirectory } from '../schema-directory.loader';
import { compareSchemaDirectories } from './compat';
import type { Change, CompatReport } from './compat.types';

// Schema documents are edited freely here; the loader checks their shape afterwards.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const sourceDirectory = findSchemasDirectory();
const baseline = loadSchemaDirectory(sourceDirectory);
const temporaryDirectories: string[] = [];

afterAll(() => {
  for (const directory of temporaryDirectories) rmSync(directory, { recursive: true, force: true });
});

type Mutation = (root: string) => void;

/** A copy of the real schemas/ with one mutation applied, compared against the original. */
function compareWithMutation(mutate: Mutation): CompatReport {
  const root = mkdtempSync(join(tmpdir(), 'threadline-compat-'));
  temporaryDirectories.push(root);
  cpSync(sourceDirectory, root, { recursive: true });
  mutate(root);
  return compareSchemaDirectories(baseline, loadSchemaDirectory(root));
}

function editJson(file: string, edit: (schema: Json) => void): Mutation {
  return (root) => {
    const path = join(root, file);
    const schema = JSON.parse(readFileSync(path, 'utf8'));
    edit(schema);
    writeFileSync(path, JSON.stringify(schema, null, 2));
  };
}

const ncrRaised = 'events/quality.nonconformance.raised/v1.json';
const common = 'common/v1.json';

function summary(changes: Change[]): string[] {
  return changes.map((item) => `${item.type} ${item.major} ${item.path} ${item.kind}`);
}

describe('compareSchemaDirectories', () => {
  it('reports nothing for identical directories', () => {
    expect(compareWithMutation(() => undefined)).toEqual({ breaking: [], nonBreaking: [] });
  });

  it.each<[string, Mutation, string[]]>([
    [
      'a removed field',
      editJson(ncrRaised, (schema) => delete schema.properties.orderId),
      ['quality.nonconformance.raised 1 /orderId field-removed'],
    ],
    [
      'a renamed field (removed + added)',
      editJson(ncrRaised, (schema) => {
        schema.properties.defectId = schema.properties.defectCode;
        delete schema.properties.defectCode;
        schema.required = schema.required.map((name: string) =>
          name === 'defectCode' ? 'defectId' : name,
        );
      }),
      [
        'quality.nonconformance.raised 1 /defectCode field-removed',
        'quality.nonconformance.raised 1 /defectId required-field-added',
      ],
    ],
    [
      'a new required field',
      editJson(ncrRaised, (schema) => {
        schema.properties.plantArea = { type: 'string' };
        schema.required.push('plantArea');
      }),
      ['quality.nonconformance.raised 1 /plantArea required-field-added'],
    ],
    [
      'an optional field made required',
      editJson(ncrRaised, (schema) => {
        schema.required.push('assetId');
      }),
      ['quality.nonconformance.raised 1 /assetId field-made-required'],
    ],
    [
      'an enum value removed',
      editJson('events/equipment.alarm.raised/v1.json', (schema) => {
        schema.properties.severity.enum = ['warning', 'critical'];
      }),
      ['equipment.alarm.raised 1 /severity enum-narrowed'],
    ],
    [
      'a narrowed type',
      editJson('events/maintenance.workorder.completed/v1.json', (schema) => {
        schema.properties.laborHours.type = 'integer';
      }),
      ['maintenance.workorder.completed 1 /laborHours type-narrowed'],
    ],
    [
      'an anyOf alternative removed from an array item',
      editJson('events/equipment.telemetry.sampled/v1.json', (schema) => {
        schema.properties.samples.items.properties.value.anyOf.splice(1, 1);
      }),
      ['equipment.telemetry.sampled 1 /samples/*/value type-narrowed'],
    ],
    [
      'a lowered maxLength',
      editJson('events/equipment.alarm.raised/v1.json', (schema) => {
        schema.properties.tag.maxLength = 64;
      }),
      ['equipment.alarm.raised 1 /tag bound-narrowed'],
    ],
    [
      'a raised minItems',
      editJson(ncrRaised, (schema) => {
        schema.properties.lotIds.minItems = 2;
      }),
      ['quality.nonconformance.raised 1 /lotIds bound-narrowed'],
    ],
    [
      'an added pattern and format',
      editJson('events/equipment.alarm.raised/v1.json', (schema) => {
        schema.properties.tag.pattern = '^[A-Z]+$';
        schema.properties.tag.format = 'uri';
      }),
      [
        'equipment.alarm.raised 1 /tag format-changed',
        'equipment.alarm.raised 1 /tag pattern-changed',
      ],
    ],
    [
      'additionalProperties tightened on a nested object',
      editJson('events/production.operation.completed/v1.json', (schema) => {
        schema.properties.parameters.additionalProperties = false;
      }),
      ['production.operation.completed 1 /parameters additional-properties-tightened'],
    ],
    [
      'a removed type',
      (root) => rmSync(join(root, 'events/flow.escalated'), { recursive: true }),
      ['flow.escalated 1 / schema-removed'],
    ],
    [
      'a removed envelope attribute',
      editJson('envelope/v1.json', (schema) => delete schema.properties.traceparent),
      ['envelope 1 /traceparent field-removed'],
    ],
  ])('flags %s as breaking', (_name, mutate, expected) => {
    const report = compareWithMutation(mutate);
    expect(summary(report.breaking)).toEqual(expected);
  });

  it('flags a changed shared definition under every schema and field that uses it', () => {
    const report = compareWithMutation(
      editJson(common, (schema) => (schema.$defs.Id.maxLength = 32)),
    );
    const breaking = summary(report.breaking);
    expect(breaking).toEqual(
      expect.arrayContaining([
        'quality.nonconformance.raised 1 /ncrId bound-narrowed',
        'quality.nonconformance.raised 1 /lotIds/* bound-narrowed',
        // Actor.id is an Id: the change reaches through two levels of $ref.
        'quality.nonconformance.raised 1 /detectedBy/id bound-narrowed',
        'shipment.dispatched 1 /lines/*/lotId bound-narrowed',
        'erp.inventory.hold.place 1 /requestedBy/id bound-narrowed',
      ]),
    );
    expect(report.breaking.every((item) => item.detail === 'maxLength lowered from 64 to 32')).toBe(
      true,
    );
    expect(report.nonBreaking).toEqual([]);
  });

  it('flags an enum value removed from a shared definition in every schema using it', () => {
    const report = compareWithMutation(
      editJson(common, (schema) => (schema.$defs.NonconformanceSeverity.enum = ['minor', 'major'])),
    );
    expect(summary(report.breaking)).toEqual([
      'qms.nonconformance.create 1 /severity enum-narrowed',
      'quality.nonconformance.raised 1 /severity enum-narrowed',
    ]);
    expect(report.breaking[0].detail).toBe('value "critical" removed');
  });

  it.each<[string, Mutation, string[]]>([
    [
      'a new optional field',
      editJson(ncrRaised, (schema) => (schema.properties.shift = { type: 'string' })),
      ['quality.nonconformance.raised 1 /shift optional-field-added'],
    ],
    [
      'a widened enum',
      editJson('events/equipment.alarm.raised/v1.json', (schema) => {
        schema.properties.severity.enum.push('fatal');
      }),
      ['equipment.alarm.raised 1 /severity enum-widened'],
    ],
    [
      'a required field made optional',
      editJson(ncrRaised, (schema) => {
        schema.required = schema.required.filter((name: string) => name !== 'description');
      }),
      ['quality.nonconformance.raised 1 /description field-made-optional'],
    ],
    [
      'a raised maxLength in a shared definition',
      editJson(common, (schema) => (schema.$defs.Description.maxLength = 8000)),
      expect.arrayContaining(['quality.nonconformance.raised 1 /description bound-widened']),
    ],
    [
      'a new major beside the old one, however different',
      (root) => {
        const folder = join(root, 'events/quality.nonconformance.raised');
        const schema = JSON.parse(readFileSync(join(folder, 'v1.json'), 'utf8'));
        schema.$id = 'urn:threadline:schema:quality.nonconformance.raised:2';
        delete schema.properties.description;
        writeFileSync(join(folder, 'v2.json'), JSON.stringify(schema));
      },
      ['quality.nonconformance.raised 2 / schema-added'],
    ],
    [
      'a new type',
      (root) => {
        const folder = join(root, 'events/quality.nonconformance.reopened');
        cpSync(join(root, 'events/quality.nonconformance.closed'), folder, { recursive: true });
        editJson('events/quality.nonconformance.reopened/v1.json', (schema) => {
          schema.$id = 'urn:threadline:schema:quality.nonconformance.reopened:1';
          schema['x-threadline'].type = 'quality.nonconformance.reopened';
        })(root);
      },
      ['quality.nonconformance.reopened 1 / schema-added'],
    ],
    [
      'changed descriptions and examples only',
      editJson(ncrRaised, (schema) => {
        schema.description = 'Reworded.';
        schema.properties.ncrId.description = 'Reworded too.';
        schema.examples = [];
      }),
      [],
    ],
  ])('accepts %s as non-breaking', (_name, mutate, expected) => {
    const report = compareWithMutation(mutate);
    expect(report.breaking).toEqual([]);
    expect(summary(report.nonBreaking)).toEqual(expected);
  });

  it('explains a new major beside the old one', () => {
    const report = compareWithMutation((root) => {
      const folder = join(root, 'commands/mes.line.stop');
      const schema = JSON.parse(readFileSync(join(folder, 'v1.json'), 'utf8'));
      schema.$id = 'urn:threadline:schema:mes.line.stop:2';
      writeFileSync(join(folder, 'v2.json'), JSON.stringify(schema));
    });
    expect(report.nonBreaking[0].detail).toBe('new major v2 beside v1');
  });

  it('notes which majors remain when one is removed', () => {
    const withTwoMajors = (root: string) => {
      const folder = join(root, 'commands/mes.line.stop');
      const schema = JSON.parse(readFileSync(join(folder, 'v1.json'), 'utf8'));
      schema.$id = 'urn:threadline:schema:mes.line.stop:2';
      writeFileSync(join(folder, 'v2.json'), JSON.stringify(schema));
    };
    const root = mkdtempSync(join(tmpdir(), 'threadline-compat-'));
    temporaryDirectories.push(root);
    cpSync(sourceDirectory, root, { recursive: true });
    withTwoMajors(root);
    const older = loadSchemaDirectory(root);
    rmSync(join(root, 'commands/mes.line.stop/v1.json'));
    const report = compareSchemaDirectories(older, loadSchemaDirectory(root));
    expect(report.breaking).toEqual([
      {
        type: 'mes.line.stop',
        major: 1,
        path: '/',
        kind: 'schema-removed',
        detail: 'command mes.line.stop v1 removed (v2 remains)',
      },
    ]);
  });
});
