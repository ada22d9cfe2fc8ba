import { ThreadlineError } from '@threadline/core';
import type { SchemaDifference } from './compat.types';
import { declaredType, pairBranches } from './branch-pairing';
import {
  canonicalJson,
  change,
  compareAllowedValues,
  compareBounds,
  compareOtherKeywords,
  compareStringRules,
  compareType,
  type SchemaNode,
} from './keyword-rules';

/** Looks up an absolute `$ref` (see SchemaReferences) in the old or the new directory. */
export type ResolveReference = (reference: string) => unknown;

const MAX_REFERENCE_CHAIN = 32;

/**
 * Walks an old and a new schema side by side: through `$ref`s (each side in its own directory,
 * so a changed shared definition shows up under every field that uses it), object properties,
 * array items and composition branches, applying the keyword rules at every place.
 */
export function diffSchemas(
  older: unknown,
  newer: unknown,
  resolveOlder: ResolveReference,
  resolveNewer: ResolveReference,
): SchemaDifference[] {
  const walker = new SchemaDiffWalker(resolveOlder, resolveNewer);
  walker.compare(older, newer, '');
  return walker.differences.map((difference) => ({
    ...difference,
    path: difference.path === '' ? '/' : difference.path,
  }));
}

interface ExpandedSchema {
  /** `false` is the schema that accepts nothing. */
  node: SchemaNode | false;
  references: string[];
}

class SchemaDiffWalker {
  readonly differences: SchemaDifference[] = [];
  /** Reference pairs being compared further up, so recursive definitions terminate. */
  private readonly active = new Set<string>();

  constructor(
    private readonly resolveOlder: ResolveReference,
    private readonly resolveNewer: ResolveReference,
  ) {}

  compare(olderSchema: unknown, newerSchema: unknown, path: string): void {
    const older = expand(olderSchema, this.resolveOlder);
    const newer = expand(newerSchema, this.resolveNewer);
    if (older.references.length === 0 && newer.references.length === 0) {
      this.compareExpanded(older.node, newer.node, path);
      return;
    }
    const pair = `${older.references.join(' ')}|${newer.references.join(' ')}`;
    if (this.active.has(pair)) return;
    this.active.add(pair);
    try {
      this.compareExpanded(older.node, newer.node, path);
    } finally {
      this.active.delete(pair);
    }
  }

  private compareExpanded(
    older: SchemaNode | false,
    newer: SchemaNode | false,
    path: string,
  ): void {
    if (older === false || newer === false) {
      if (older !== false) {
        this.report(change(path, 'constraint-changed', 'schema now rejects every value'));
      } else if (newer !== false) {
        this.report(change(path, 'constraint-relaxed', 'schema no longer rejects every value'));
      }
      return;
    }
    for (const rule of [compareType, compareAllowedValues, compareBounds, compareStringRules]) {
      this.report(...rule(older, newer, path));
    }
    this.compareObjects(older, newer, path);
    this.compareArrays(older, newer, path);
    this.compareCompositions(older, newer, path);
    this.report(...compareOtherKeywords(older, newer, path));
  }

  private compareObjects(older: SchemaNode, newer: SchemaNode, path: string): void {
    const olderProperties = objectOrEmpty(older.properties);
    const newerProperties = objectOrEmpty(newer.properties);
    for (const [name, schema] of Object.entries(olderProperties)) {
      const child = childPath(path, name);
      if (Object.hasOwn(newerProperties, name)) {
        this.compare(schema, newerProperties[name], child);
      } else {
        this.report(change(child, 'field-removed', `field '${name}' removed`));
      }
    }
    const newerRequired = stringSet(newer.required);
    for (const name of Object.keys(newerProperties)) {
      if (Object.hasOwn(olderProperties, name)) continue;
      const child = childPath(path, name);
      if (newerRequired.has(name)) {
        this.report(change(child, 'required-field-added', `required field '${name}' added`));
      } else {
        this.report(change(child, 'optional-field-added', `optional field '${name}' added`));
      }
    }
    this.compareRequired(older, newer, path);
    this.compareAdditionalProperties(older.additionalProperties, newer.additionalProperties, path);
  }

  /** Required-ness of fields both versions know; added and removed fields are reported above. */
  private compareRequired(older: SchemaNode, newer: SchemaNode, path: string): void {
    const olderProperties = objectOrEmpty(older.properties);
    const newerProperties = objectOrEmpty(newer.properties);
    const olderRequired = stringSet(older.required);
    const newerRequired = stringSet(newer.required);
    const known = (name: string) =>
      Object.hasOwn(olderProperties, name) === Object.hasOwn(newerProperties, name);
    for (const name of newerRequired) {
      if (olderRequired.has(name) || !known(name)) continue;
      const detail = `field '${name}' is now required`;
      this.report(change(childPath(path, name), 'field-made-required', detail));
    }
    for (const name of olderRequired) {
      if (newerRequired.has(name) || !known(name)) continue;
      const detail = `field '${name}' is now optional`;
      this.report(change(childPath(path, name), 'field-made-optional', detail));
    }
  }

  private compareAdditionalProperties(older: unknown, newer: unknown, path: string): void {
    if (older === undefined && newer === undefined) return;
    if (older !== false && newer === false) {
      const detail = 'additional properties no longer allowed';
      this.report(change(path, 'additional-properties-tightened', detail));
    } else if (older === false && newer !== false) {
      const detail = 'additional properties now allowed';
      this.report(change(path, 'additional-properties-loosened', detail));
    } else if (older !== false && newer !== false) {
      this.compare(older ?? true, newer ?? true, childPath(path, '*'));
    }
  }

  private compareArrays(older: SchemaNode, newer: SchemaNode, path: string): void {
    if (older.items !== undefined || newer.items !== undefined) {
      this.compare(older.items ?? true, newer.items ?? true, childPath(path, '*'));
    }
    const olderTuple = arrayOrEmpty(older.prefixItems);
    const newerTuple = arrayOrEmpty(newer.prefixItems);
    for (let index = 0; index < Math.min(olderTuple.length, newerTuple.length); index += 1) {
      this.compare(olderTuple[index], newerTuple[index], childPath(path, String(index)));
    }
    if (newerTuple.length > olderTuple.length) {
      this.report(change(path, 'constraint-changed', 'prefixItems gained positions'));
    } else if (newerTuple.length < olderTuple.length) {
      this.report(change(path, 'constraint-relaxed', 'prefixItems lost positions'));
    }
    const olderUnique = older.uniqueItems === true;
    const newerUnique = newer.uniqueItems === true;
    if (!olderUnique && newerUnique) {
      this.report(change(path, 'constraint-changed', 'items must now be unique'));
    } else if (olderUnique && !newerUnique) {
      this.report(change(path, 'constraint-relaxed', 'items no longer need to be unique'));
    }
  }

  private compareCompositions(older: SchemaNode, newer: SchemaNode, path: string): void {
    for (const keyword of ['anyOf', 'oneOf', 'allOf'] as const) {
      const olderBranches = arrayOrEmpty(older[keyword]);
      const newerBranches = arrayOrEmpty(newer[keyword]);
      if (olderBranches.length === 0 && newerBranches.length === 0) continue;
      if (olderBranches.length === 0 || newerBranches.length === 0) {
        // Adding a whole anyOf/oneOf/allOf constrains; taking it away relaxes.
        const kind = olderBranches.length === 0 ? 'constraint-changed' : 'constraint-relaxed';
        this.report(
          change(path, kind, `${keyword} ${olderBranches.length === 0 ? 'added' : 'removed'}`),
        );
        continue;
      }
      const { pairs, removed, added } = pairBranches(olderBranches, newerBranches);
      for (const [olderIndex, newerIndex] of pairs) {
        this.compare(olderBranches[olderIndex], newerBranches[newerIndex], path);
      }
      for (const index of removed) this.report(lostBranch(keyword, olderBranches[index], path));
      for (const index of added) this.report(gainedBranch(keyword, newerBranches[index], path));
    }
  }

  private report(...differences: SchemaDifference[]): void {
    this.differences.push(...differences);
  }
}

/** A lost anyOf/oneOf alternative narrows; a lost allOf part relaxes. */
function lostBranch(keyword: string, branch: unknown, path: string): SchemaDifference {
  const detail = `${keyword} branch ${describeBranch(branch)} removed`;
  if (keyword === 'allOf') return change(path, 'constraint-relaxed', detail);
  const kind = declaredType(branch) === undefined ? 'constraint-changed' : 'type-narrowed';
  return change(path, kind, detail);
}

function gainedBranch(keyword: string, branch: unknown, path: string): SchemaDifference {
  const detail = `${keyword} branch ${describeBranch(branch)} added`;
  if (keyword === 'allOf') return change(path, 'constraint-changed', detail);
  const kind = declaredType(branch) === undefined ? 'constraint-relaxed' : 'type-widened';
  return change(path, kind, detail);
}

function describeBranch(branch: unknown): string {
  const type = isObject(branch) ? branch.type : undefined;
  if (typeof type === 'string') return `of type ${type}`;
  if (Array.isArray(type)) return `of type ${type.join(' | ')}`;
  return canonicalJson(branch);
}

/** Follows `$ref` chains; keywords beside a `$ref` override those of its target. */
function expand(schema: unknown, resolve: ResolveReference): ExpandedSchema {
  let current = schema;
  const references: string[] = [];
  while (isObject(current) && typeof current.$ref === 'string') {
    if (references.length >= MAX_REFERENCE_CHAIN) {
      const chain = references.join(' -> ');
      throw new ThreadlineError('CONFIGURATION_INVALID', `$ref chain too long: ${chain}`);
    }
    const reference = current.$ref;
    const siblings = { ...current };
    delete siblings.$ref;
    references.push(reference);
    const target = resolve(reference);
    current = target === false ? false : { ...(isObject(target) ? target : {}), ...siblings };
  }
  return { node: current === false ? false : isObject(current) ? current : {}, references };
}

function childPath(path: string, name: string): string {
  return `${path}/${name.replace(/~/g, '~0').replace(/\//g, '~1')}`;
}

function isObject(value: unknown): value is SchemaNode {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function objectOrEmpty(value: unknown): SchemaNode {
  return isObject(value) ? value : {};
}

function arrayOrEmpty(value: unknown): unknown[] {
  return Array.isArray(value) ? (value as unknown[]) : [];
}

function stringSet(value: unknown): Set<string> {
  return new Set(Array.isArray(value) ? value.filter((item) => typeof item === 'string') : []);
}
