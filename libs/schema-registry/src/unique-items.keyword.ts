import { _, str, type Ajv2020, type CodeKeywordDefinition } from 'ajv/dist/2020';
import ajvEqual from 'ajv/dist/runtime/equal';

/*
 * uniqueItems with ajv's meaning (JSON equality), in linear time for scalar items. Ajv compares
 * every pair unless the `items` schema states a scalar `type` next to it, and ours reach their
 * types through $ref (`items: { $ref: ...Id }`): a message with the allowed 10,000 serial
 * numbers would cost 50 million comparisons. Here scalars go through a Map; objects and arrays,
 * which need deep equality, are still compared pairwise, among themselves only.
 */
const SMALL_ARRAY = 16;

// Ajv's own deep equality (fast-deep-equal); its type declaration describes the module, not the
// function that the default export is at run time.
const equal = ajvEqual as unknown as (left: unknown, right: unknown) => boolean;

/** [later index, earlier index] of a repeated item, or undefined when all items differ. */
export function findDuplicate(items: readonly unknown[]): [number, number] | undefined {
  if (items.length < 2) return undefined;
  return items.length <= SMALL_ARRAY ? comparePairs(items) : hashScalars(items);
}

function comparePairs(items: readonly unknown[]): [number, number] | undefined {
  for (let later = items.length - 1; later > 0; later--) {
    for (let earlier = later - 1; earlier >= 0; earlier--) {
      if (equal(items[later], items[earlier])) return [later, earlier];
    }
  }
  return undefined;
}

function hashScalars(items: readonly unknown[]): [number, number] | undefined {
  const firstIndex = new Map<unknown, number>();
  const structured: number[] = [];
  for (let index = 0; index < items.length; index++) {
    const item = items[index];
    if (typeof item === 'object' && item !== null) {
      structured.push(index);
      continue;
    }
    const earlier = firstIndex.get(item);
    if (earlier !== undefined) return [index, earlier];
    firstIndex.set(item, index);
  }
  for (let later = structured.length - 1; later > 0; later--) {
    for (let earlier = later - 1; earlier >= 0; earlier--) {
      const pair: [number, number] = [structured[later], structured[earlier]];
      if (equal(items[pair[0]], items[pair[1]])) return pair;
    }
  }
  return undefined;
}

const uniqueItems: CodeKeywordDefinition = {
  keyword: 'uniqueItems',
  type: 'array',
  schemaType: 'boolean',
  error: {
    message: ({ params }) =>
      str`must NOT have duplicate items (items ## ${params.j} and ${params.i} are identical)`,
    params: ({ params }) => _`{i: ${params.i}, j: ${params.j}}`,
  },
  code(context) {
    const { gen, data } = context;
    if (context.schema !== true) return;
    const find = gen.scopeValue('func', { ref: findDuplicate });
    const duplicate = gen.const('duplicate', _`${find}(${data})`);
    context.setParams({ i: _`${duplicate}[0]`, j: _`${duplicate}[1]` });
    context.fail(_`${duplicate} !== undefined`);
  },
};

/** Replaces ajv's built-in uniqueItems with the version above. */
export function useLinearUniqueItems(ajv: Ajv2020): void {
  ajv.removeKeyword('uniqueItems');
  ajv.addKeyword(uniqueItems);
}
