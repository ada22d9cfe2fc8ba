import type { SchemaDirectory } from '../schema-registry.types';
import { diffSchemas } from './schema-diff';
import { SchemaReferences } from './schema-references';

const noReferences = (reference: string): unknown => {
  throw new Error(`unexpected $ref ${reference}`);
};

function diff(older: unknown, newer: unknown): string[] {
  return diffSchemas(older, newer, noReferences, noReferences).map(
    (item) => `${item.path} ${item.kind}: ${item.detail}`,
  );
}

describe('diffSchemas', () => {
  it('treats integer -> number as widening and number -> integer as narrowing', () => {
    expect(diff({ type: 'integer' }, { type: 'number' })).toEqual([
      '/ type-widened: type widened from integer to number',
    ]);
    expect(diff({ type: 'number' }, { type: 'integer' })).toEqual([
      '/ type-narrowed: type narrowed from number to integer',
    ]);
  });

  it('reports a type change as narrowing (and widening)', () => {
    expect(diff({ type: ['string', 'null'] }, { type: 'string' })).toEqual([
      '/ type-narrowed: type narrowed from string | null to string',
    ]);
  });

  it('matches anyOf branches by type, so removing the middle one names that one', () => {
    const older = { anyOf: [{ type: 'number' }, { type: 'boolean' }, { type: 'string' }] };
    const newer = { anyOf: [{ type: 'number' }, { type: 'string' }] };
    expect(diff(older, newer)).toEqual(['/ type-narrowed: anyOf branch of type boolean removed']);
  });

  it('compares additionalProperties schemas and array items recursively', () => {
    const older = {
      type: 'object',
      additionalProperties: { type: 'array', items: { maxLength: 9 } },
    };
    const newer = {
      type: 'object',
      additionalProperties: { type: 'array', items: { maxLength: 5 } },
    };
    expect(diff(older, newer)).toEqual(['/*/* bound-narrowed: maxLength lowered from 9 to 5']);
  });

  it('handles boolean schemas', () => {
    expect(diff(true, false)).toEqual(['/ constraint-changed: schema now rejects every value']);
    expect(diff(false, true)).toEqual([
      '/ constraint-relaxed: schema no longer rejects every value',
    ]);
    expect(diff(true, { type: 'string' })).toEqual(['/ type-narrowed: type restricted to string']);
  });

  it('treats a new unruled assertion as breaking and its removal as safe', () => {
    expect(diff({}, { multipleOf: 2 })).toEqual(['/ constraint-changed: multipleOf added']);
    expect(diff({ not: { const: 1 } }, {})).toEqual(['/ constraint-relaxed: not removed']);
    expect(diff({ 'x-note': 1, title: 'a' }, { 'x-note': 2, title: 'b' })).toEqual([]);
  });

  it('follows $refs on each side in its own directory and stops on recursive definitions', () => {
    const tree = (leaf: unknown) => ({
      'urn:t#/$defs/Node': {
        type: 'object',
        properties: { children: { type: 'array', items: { $ref: 'urn:t#/$defs/Node' } }, leaf },
      },
    });
    const older = tree({ maxLength: 10 }) as Record<string, unknown>;
    const newer = tree({ maxLength: 3 }) as Record<string, unknown>;
    const differences = diffSchemas(
      { $ref: 'urn:t#/$defs/Node' },
      { $ref: 'urn:t#/$defs/Node' },
      (reference) => older[reference],
      (reference) => newer[reference],
    );
    // The nested Node is the definition already being compared: reported once, at its first use.
    expect(differences.map((item) => item.path)).toEqual(['/leaf']);
  });
});

describe('SchemaReferences', () => {
  const directory = (entrySchema: Record<string, unknown>): SchemaDirectory => ({
    directory: '/schemas',
    common: { $id: 'urn:threadline:schema:common:1', $defs: { Id: { type: 'string' } } },
    envelope: { $id: 'urn:threadline:schema:envelope:1' },
    entries: [
      {
        type: 'a.b',
        major: 1,
        kind: 'event',
        id: 'urn:threadline:schema:a.b:1',
        file: '/schemas/events/a.b/v1.json',
        schema: { $id: 'urn:threadline:schema:a.b:1', ...entrySchema },
      },
    ],
  });

  it('makes local, URN and relative file references absolute', () => {
    const references = new SchemaReferences(
      directory({
        $defs: { Local: { type: 'integer' } },
        properties: {
          local: { $ref: '#/$defs/Local' },
          byUrn: { $ref: 'urn:threadline:schema:common:1#/$defs/Id' },
          byFile: { $ref: '../../common/v1.json#/$defs/Id' },
        },
      }),
    );
    const properties = references.document('urn:threadline:schema:a.b:1').schema
      .properties as Record<string, { $ref: string }>;
    expect(properties.local.$ref).toBe('urn:threadline:schema:a.b:1#/$defs/Local');
    expect(properties.byFile.$ref).toBe('urn:threadline:schema:common:1#/$defs/Id');
    expect(references.resolve(properties.byUrn.$ref)).toEqual({ type: 'string' });
    expect(references.resolve(properties.local.$ref)).toEqual({ type: 'integer' });
  });

  it('names the file and the reference it cannot place', () => {
    expect(() => new SchemaReferences(directory({ items: { $ref: 'other.json#/x' } }))).toThrow(
      "/schemas/events/a.b/v1.json: $ref 'other.json#/x' names no schema file of this directory",
    );
  });

  it('names a reference that points to nothing', () => {
    const references = new SchemaReferences(directory({}));
    expect(() => references.resolve('urn:threadline:schema:common:1#/$defs/Missing')).toThrow(
      "$ref 'urn:threadline:schema:common:1#/$defs/Missing' points to nothing",
    );
  });
});
