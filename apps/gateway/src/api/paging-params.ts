import { applyDecorators } from '@nestjs/common';
import { ApiQuery } from '@nestjs/swagger';
import { integerIn } from '@threadline/traceability';

export interface PagingRule {
  readonly max: number;
  readonly fallback: number;
}

/** `limit` and `cursor` as every list documents them. */
export function ApiPaging(rule: PagingRule): MethodDecorator {
  return applyDecorators(
    ApiQuery({
      name: 'limit',
      required: false,
      schema: { type: 'integer', minimum: 1, maximum: rule.max, default: rule.fallback },
    }),
    ApiQuery({
      name: 'cursor',
      required: false,
      description: 'The nextCursor of the page before, unchanged (opaque).',
      schema: { type: 'string' },
    }),
  );
}

export function limitParam(value: unknown, rule: PagingRule): number {
  return integerIn('limit', value, 1, rule.max, rule.fallback);
}
