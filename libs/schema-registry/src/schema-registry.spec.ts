import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MAX_ENVELOPE_BYTES, schemaUrn } from './dataschema';
import { findSchemasDirectory } from './schema-directory.loader';
import { SchemaRegistry } from './schema-registry';
import type { SchemaEntry, ValidationIssue, ValidationResult } from './schema-registry.types';

const repositoryRoot = join(__dirname, '..', '..', '..');
const variantsDirectory = join(repositoryRoot, 'test', 'fixtures', 'schema-variants');
const catalogExamplesDirectory = join(repositoryRoot, 'test', 'fixtures', 'catalog-docs');

interface SchemaVariant {
  type: string;
  description: string;
  data: Record<string, unknown>;
  expectedPath: string;
  expectedKeyword: string;
}

let registry: SchemaRegistry;

beforeAll(() => {
  registry = SchemaRegistry.fromDirectory(findSchemasDirectory(__dirname));
});

/** A complete, valid envelope around `data`, as a connector would publish it. */
function envelopeFor(type: string, data: unknown, major = 1): Record<string, unknown> {
  return {
    specversion: '1.0',
    id: '5b0c8f2e-8a51-4a33-9d0c-1f7d3c2b9e40',
    type,
    source: '/plants/P01/qms/qms-main',
    time: '2026-05-14T08:30:00Z',
    subject: 'SUBJECT-1',
    datacontenttype: 'application/json',
    dataschema: schemaUrn(type, major),
    correlationid: '5b0c8f2e-8a51-4a33-9d0c-1f7d3c2b9e40',
    idempotencykey: `qms:SUBJECT-1:${type}`,
    plant: 'P01',
    data,
  };
}

const ncrData = {
  ncrId: 'NCR-000123',
  severity: 'major',
  lotIds: ['LOT-2026-0457'],
  defectCode: 'DIM-OOT-012',
  description: 'Bore diameter above upper specification limit.',
  detectedAt: '2026-05-14T08:27:41+02:00',
};
const ncrType = 'quality.nonconformance.raised';

function issuesOf(result: ValidationResult): ValidationIssue[] {
  if (result.valid) throw new Error('expected the message to be rejected, but it was accepted');
  return result.errors;
}

function examplesOf(entry: SchemaEntry): unknown[] {
  return Array.isArray(entry.schema.examples) ? (entry.schema.examples as unknown[]) : [];
}

describe('SchemaRegistry catalog', () => {
  it('lists every schema sorted by type then major, with kind and URN', () => {
    const entries = registry.list();
    expect(entries.length).toBeGreaterThanOrEqual(30);
    const keys = entries.map((entry) => `${entry.type}:${entry.major}`);
    expect(keys).toEqual([...keys].sort());
    expect(registry.get(ncrType, 1)).toMatchObject({ kind: 'event', id: schemaUrn(ncrType, 1) });
    expect(registry.get('erp.inventory.hold.place', 1)?.kind).toBe('command');
    expect(registry.get(ncrType, 9)).toBeUndefined();
  });

  it('returns a copy from list(), so callers cannot change the registry', () => {
    const count = registry.list().length;
    registry.list().length = 0;
    expect(registry.list()).toHaveLength(count);
  });

  it('has at least one example in every schema', () => {
    const withoutExamples = registry.list().filter((entry) => examplesOf(entry).length === 0);
    expect(withoutExamples.map((entry) => entry.file)).toEqual([]);
  });

  it('accepts every schema example wrapped in a full envelope', () => {
    const rejected: string[] = [];
    for (const entry of registry.list()) {
      examplesOf(entry).forEach((example, index) => {
        const result = registry.validate(envelopeFor(entry.type, example, entry.major));
        if (!result.valid) {
          rejected.push(`${entry.type} example ${index}: ${JSON.stringify(result.errors)}`);
        }
      });
    }
    expect(rejected).toEqual([]);
  });
});

describe('SchemaRegistry invalid data variants', () => {
  const files = readdirSync(variantsDirectory).filter((name) => name.endsWith('.json'));
  const variants = files.flatMap((file) =>
    (JSON.parse(readFileSync(join(variantsDirectory, file), 'utf8')) as SchemaVariant[]).map(
      (variant) => [`${file}: ${variant.type}: ${variant.description}`, variant] as const,
    ),
  );

  it('finds variant fixtures to check', () => {
    expect(variants.length).toBeGreaterThan(0);
  });

  it.each(variants)('rejects %s', (_name, variant) => {
    const issues = issuesOf(registry.validate(envelopeFor(variant.type, variant.data)));
    expect(issues).toContainEqual(
      expect.objectContaining({ path: variant.expectedPath, keyword: variant.expectedKeyword }),
    );
    for (const issue of issues)
      expect(issue.message.startsWith(issue.path || 'envelope')).toBe(true);
  });
});

describe('SchemaRegistry catalog documentation examples', () => {
  interface CatalogExample {
    file: string;
    valid: boolean;
    why: string;
    expectedPath?: string;
  }
  const manifest = JSON.parse(
    readFileSync(join(catalogExamplesDirectory, 'manifest.json'), 'utf8'),
  ) as CatalogExample[];

  it.each(manifest.map((example) => [example.file, example] as const))(
    'judges %s as the catalog says',
    (_file, example) => {
      const result = registry.validateJson(
        readFileSync(join(catalogExamplesDirectory, example.file)),
      );
      if (example.valid) {
        expect(result).toMatchObject({ valid: true });
      } else {
        expect(issuesOf(result).map((issue) => issue.path)).toContain(example.expectedPath);
      }
    },
  );
});

describe('SchemaRegistry messages', () => {
  it('names the field and the rule in plain words', () => {
    const data = { ...ncrData, severity: 'severe', lotId: 'LOT-1' } as Record<string, unknown>;
    delete data.lotIds;
    const issues = issuesOf(registry.validate(envelopeFor(ncrType, data)));
    expect(issues).toEqual(
      expect.arrayContaining([
        {
          path: '/data/severity',
          keyword: 'enum',
          message: '/data/severity must be one of: minor, major, critical',
        },
        {
          path: '/data',
          keyword: 'required',
          message: "/data must have required property 'lotIds'",
        },
        {
          path: '/data',
          keyword: 'additionalProperties',
          message: "/data has unknown property 'lotId' (additional properties are not allowed)",
        },
      ]),
    );
    expect(issues).toHaveLength(3);
  });

  it('reports a bad timestamp once, as a format problem', () => {
    const data = { ...ncrData, detectedAt: '2026-05-14T08:27:41' };
    expect(issuesOf(registry.validate(envelopeFor(ncrType, data)))).toEqual([
      {
        path: '/data/detectedAt',
        keyword: 'format',
        message:
          '/data/detectedAt must be a valid date-time (RFC 3339 with offset, e.g. 2026-05-14T08:30:00Z)',
      },
    ]);
  });

  it('folds a failed anyOf over types into one issue naming the allowed types', () => {
    const sample = {
      tag: 'Press07.Pressure',
      value: { bar: 1 },
      sourceTime: '2026-05-14T08:30:00Z',
    };
    const data = { assetId: 'ASSET-PRESS-07', samples: [sample] };
    expect(issuesOf(registry.validate(envelopeFor('equipment.telemetry.sampled', data)))).toEqual([
      {
        path: '/data/samples/0/value',
        keyword: 'anyOf',
        message: '/data/samples/0/value must be a number, a boolean or a string',
      },
    ]);
  });

  it('accepts data without mutating it', () => {
    const envelope = envelopeFor(ncrType, ncrData);
    const before = JSON.stringify(envelope);
    const result = registry.validate(envelope);
    expect(result).toEqual({ valid: true, event: envelope });
    expect(JSON.stringify(envelope)).toBe(before);
  });
});

describe('SchemaRegistry envelope checks', () => {
  const valid = envelopeFor(ncrType, ncrData);

  function rejectEnvelope(change: Record<string, unknown>, remove: string[] = []) {
    const envelope: Record<string, unknown> = { ...valid, ...change };
    for (const attribute of remove) delete envelope[attribute];
    return issuesOf(registry.validate(envelope));
  }

  it.each(['id', 'source', 'time', 'subject', 'correlationid', 'idempotencykey', 'plant', 'data'])(
    'requires %s',
    (attribute) => {
      expect(rejectEnvelope({}, [attribute])).toContainEqual({
        path: '',
        keyword: 'required',
        message: `envelope must have required property '${attribute}'`,
      });
    },
  );

  it('rejects a plant code that breaks the pattern', () => {
    expect(rejectEnvelope({ plant: 'p01' })).toContainEqual(
      expect.objectContaining({ path: '/plant', keyword: 'pattern' }),
    );
  });

  it('rejects a time without an offset', () => {
    expect(rejectEnvelope({ time: '2026-05-14T08:30:00' })).toContainEqual(
      expect.objectContaining({ path: '/time', keyword: 'format' }),
    );
  });

  it('rejects another specversion', () => {
    expect(rejectEnvelope({ specversion: '0.3' })).toContainEqual({
      path: '/specversion',
      keyword: 'const',
      message: "/specversion must be '1.0'",
    });
  });

  it('rejects an attribute the envelope does not define', () => {
    expect(rejectEnvelope({ tenant: 'acme' })).toContainEqual({
      path: '',
      keyword: 'additionalProperties',
      message: "envelope has unknown property 'tenant' (additional properties are not allowed)",
    });
  });

  it('rejects data that is not an object, once', () => {
    const issues = rejectEnvelope({ data: ['not', 'an', 'object'] });
    expect(issues).toEqual([
      { path: '/data', keyword: 'type', message: '/data must be an object' },
    ]);
  });

  it('reports envelope and data problems together', () => {
    const issues = rejectEnvelope({ plant: 'p01', data: { ...ncrData, severity: 'severe' } });
    expect(issues.map((issue) => issue.path).sort()).toEqual(['/data/severity', '/plant']);
  });
});

describe('SchemaRegistry routing checks', () => {
  it('rejects an unknown type at /type', () => {
    const envelope = envelopeFor('quality.nonconformance.escalated', ncrData);
    expect(issuesOf(registry.validate(envelope))).toEqual([
      {
        path: '/type',
        keyword: 'unknownType',
        message: "/type 'quality.nonconformance.escalated' is not a known event or command type",
      },
    ]);
  });

  it('rejects an unknown major at /dataschema', () => {
    const envelope = envelopeFor(ncrType, ncrData, 9);
    expect(issuesOf(registry.validate(envelope))).toEqual([
      {
        path: '/dataschema',
        keyword: 'unknownMajor',
        message: `/dataschema names major 9 of '${ncrType}', which is not known (known: 1)`,
      },
    ]);
  });

  it('rejects a dataschema that names another type', () => {
    const envelope = {
      ...envelopeFor(ncrType, ncrData),
      dataschema: schemaUrn('inventory.hold.placed', 1),
    };
    expect(issuesOf(registry.validate(envelope))).toEqual([
      expect.objectContaining({ path: '/dataschema', keyword: 'dataschemaMismatch' }),
    ]);
  });

  it('rejects a dataschema that is not a Threadline schema URN', () => {
    const envelope = {
      ...envelopeFor(ncrType, ncrData),
      dataschema: 'https://example.com/ncr.json',
    };
    expect(issuesOf(registry.validate(envelope))).toEqual([
      expect.objectContaining({ path: '/dataschema', keyword: 'pattern' }),
    ]);
  });

  it.each([null, 42, 'text', [], true])(
    'rejects %p as not an object, without throwing',
    (value) => {
      expect(issuesOf(registry.validate(value))).toEqual([
        { path: '', keyword: 'type', message: 'envelope must be an object' },
      ]);
    },
  );
});

describe('SchemaRegistry.validateJson', () => {
  const valid = envelopeFor(ncrType, ncrData);

  it('accepts a valid envelope as a string and as a Buffer', () => {
    const text = JSON.stringify(valid);
    expect(registry.validateJson(text)).toEqual({ valid: true, event: valid });
    expect(registry.validateJson(Buffer.from(text))).toEqual({ valid: true, event: valid });
  });

  it('rejects malformed JSON with the parser reason', () => {
    const issues = issuesOf(registry.validateJson('{"specversion": "1.0",'));
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ path: '', keyword: 'json' });
    expect(issues[0].message).toMatch(/^not valid JSON: .+/);
  });

  it('rejects JSON that is not an object', () => {
    expect(issuesOf(registry.validateJson('[1, 2]'))).toEqual([
      { path: '', keyword: 'type', message: 'envelope must be an object' },
    ]);
  });

  it('rejects input over the size limit before parsing it', () => {
    const oversize = Buffer.alloc(MAX_ENVELOPE_BYTES + 1, 0x20);
    expect(issuesOf(registry.validateJson(oversize))).toEqual([
      expect.objectContaining({ path: '', keyword: 'maxSize' }),
    ]);
  });

  it('counts UTF-8 bytes, not characters, against the size limit', () => {
    // 100,000 three-byte characters: under the limit in characters, over it in bytes.
    const text = JSON.stringify({ ...valid, subject: '€'.repeat(100_000) });
    expect(text.length).toBeLessThan(MAX_ENVELOPE_BYTES);
    const issues = issuesOf(registry.validateJson(text));
    expect(issues).toEqual([expect.objectContaining({ keyword: 'maxSize' })]);
    expect(issues[0].message).toContain(`${Buffer.byteLength(text)} bytes`);
  });

  it('accepts input exactly at the size limit as far as size goes', () => {
    const text = JSON.stringify(valid);
    const padded = text + ' '.repeat(MAX_ENVELOPE_BYTES - Buffer.byteLength(text));
    expect(registry.validateJson(padded).valid).toBe(true);
  });

  it('rejects a value that is neither a string nor a Buffer, without throwing', () => {
    expect(issuesOf(registry.validateJson(42 as unknown as string))).toEqual([
      expect.objectContaining({ path: '', keyword: 'json' }),
    ]);
  });
});

describe('SchemaRegistry compiled on first use', () => {
  const lazy = () =>
    SchemaRegistry.fromDirectory(findSchemasDirectory(__dirname), { compile: 'onFirstUse' });

  it('compiles nothing up front and then only the types it validates, once each', () => {
    const registry = lazy();
    expect(registry.compiled()).toEqual([]);
    expect(registry.list()).toHaveLength(SchemaRegistry.fromDirectory().list().length);
    expect(registry.validate(envelopeFor(ncrType, ncrData)).valid).toBe(true);
    expect(registry.validate(envelopeFor(ncrType, { ...ncrData, severity: 'huge' })).valid).toBe(
      false,
    );
    expect(registry.compiled()).toEqual([schemaUrn(ncrType, 1)]);
  });

  it('gives the same answer as an eager registry for every example and invalid variant', () => {
    const registry = lazy();
    const eager = SchemaRegistry.fromDirectory(findSchemasDirectory(__dirname));
    const messages: unknown[] = [];
    for (const entry of eager.list()) {
      for (const example of examplesOf(entry)) {
        messages.push(envelopeFor(entry.type, example, entry.major));
      }
    }
    for (const file of readdirSync(variantsDirectory).filter((name) => name.endsWith('.json'))) {
      const variants = JSON.parse(
        readFileSync(join(variantsDirectory, file), 'utf8'),
      ) as SchemaVariant[];
      for (const variant of variants) messages.push(envelopeFor(variant.type, variant.data));
    }
    messages.push({ type: 'no.such.type' }, 'not an object', envelopeFor(ncrType, ncrData, 7));
    expect(messages.length).toBeGreaterThan(eager.list().length);
    for (const message of messages) {
      expect(registry.validate(message)).toEqual(eager.validate(message));
    }
    expect(registry.compiled().sort()).toEqual(eager.compiled().sort());
  });

  it('compiles no data schema for a message that names no known type', () => {
    const registry = lazy();
    expect(registry.validate({ type: ncrType }).valid).toBe(false);
    expect(registry.compiled()).toEqual([]);
  });
});
