import { _, str, type Ajv2020, type CodeKeywordDefinition } from 'ajv/dist/2020';
import ucs2length from 'ajv/dist/runtime/ucs2length';

/*
 * minLength / maxLength with ajv's meaning (length in code points, so an emoji is one
 * character), but cheaper: ajv counts the code points of every string, which was the largest
 * single cost of validating an envelope. A string has at most as many code points as UTF-16
 * units and at least half as many, so the UTF-16 length decides almost every case on its own
 * and the count runs only near the limit.
 */
const maxLength: CodeKeywordDefinition = {
  keyword: 'maxLength',
  type: 'string',
  schemaType: 'number',
  error: {
    message: ({ schemaCode }) => str`must NOT have more than ${schemaCode} characters`,
    params: ({ schemaCode }) => _`{limit: ${schemaCode}}`,
  },
  code(context) {
    const { gen, data, schemaCode } = context;
    const countCodePoints = gen.scopeValue('func', { ref: ucs2length });
    context.fail(_`${data}.length > ${schemaCode} && ${countCodePoints}(${data}) > ${schemaCode}`);
  },
};

const minLength: CodeKeywordDefinition = {
  keyword: 'minLength',
  type: 'string',
  schemaType: 'number',
  error: {
    message: ({ schemaCode }) => str`must NOT have fewer than ${schemaCode} characters`,
    params: ({ schemaCode }) => _`{limit: ${schemaCode}}`,
  },
  code(context) {
    const { gen, data, schemaCode } = context;
    const countCodePoints = gen.scopeValue('func', { ref: ucs2length });
    context.fail(
      _`${data}.length < 2 * ${schemaCode} && ${countCodePoints}(${data}) < ${schemaCode}`,
    );
  },
};

/** Replaces ajv's built-in minLength / maxLength with the versions above. */
export function useFastStringLength(ajv: Ajv2020): void {
  for (const definition of [maxLength, minLength]) {
    ajv.removeKeyword(definition.keyword as string);
    ajv.addKeyword(definition);
  }
}
