import { canonicalJson } from './keyword-rules';

export interface BranchPairing {
  /** [index in old, index in new] of branches to compare with each other. */
  pairs: Array<[number, number]>;
  removed: number[];
  added: number[];
}

/**
 * Matches the branches of an old and a new `anyOf`/`oneOf`/`allOf`: identical text first, then
 * the same declared `type`, then whatever is left by position. So dropping the middle branch
 * reads as "that branch removed", not as every later branch changing. Identical branches are
 * still compared, since a `$ref` they share may point to a changed definition.
 */
export function pairBranches(older: readonly unknown[], newer: readonly unknown[]): BranchPairing {
  const pairs: Array<[number, number]> = [];
  const olderLeft = older.map((_, index) => index);
  const newerLeft = newer.map((_, index) => index);
  const matchBy = (key: (branch: unknown) => string | undefined) => {
    for (const olderIndex of [...olderLeft]) {
      const olderKey = key(older[olderIndex]);
      if (olderKey === undefined) continue;
      const position = newerLeft.findIndex((newerIndex) => key(newer[newerIndex]) === olderKey);
      if (position < 0) continue;
      pairs.push([olderIndex, newerLeft[position]]);
      newerLeft.splice(position, 1);
      olderLeft.splice(olderLeft.indexOf(olderIndex), 1);
    }
  };
  matchBy(canonicalJson);
  matchBy(declaredType);
  while (olderLeft.length > 0 && newerLeft.length > 0) {
    pairs.push([olderLeft.shift() as number, newerLeft.shift() as number]);
  }
  return { pairs, removed: olderLeft, added: newerLeft };
}

export function declaredType(branch: unknown): string | undefined {
  if (typeof branch !== 'object' || branch === null || !('type' in branch)) return undefined;
  return canonicalJson(branch.type);
}
