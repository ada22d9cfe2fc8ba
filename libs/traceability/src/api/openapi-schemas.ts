import {
  ApiProperty,
  ApiPropertyOptional,
  ApiSchema,
  type ApiParamOptions,
  type ApiResponseNoStatusOptions,
} from '@nestjs/swagger';
import type {
  Actor,
  GapRule,
  GapView,
  HoldView,
  LotOrigin,
  LotView,
  Quantity,
  RecallScope,
  ShipmentRef,
  TimelineEntry,
  TraceDirection,
  TraceEdge,
  TraceNode,
  TraceResult,
} from '../model';

/**
 * The answers of /api/v1 (model.ts) as OpenAPI schemas. Each class implements its model type, so
 * a field missing here fails the typecheck; every field is required unless the model marks it
 * optional (`?`), and a `| null` field is required and nullable (the API writes the null).
 * The classes are registered by the controller's decorators, so any app that mounts
 * TraceabilityApiModule documents them. Never instantiated.
 */

const text = { type: String } as const;
const nullableText = { type: String, nullable: true } as const;
const time = { type: String, format: 'date-time' } as const;
const nullableTime = { type: String, format: 'date-time', nullable: true } as const;
const texts = { type: String, isArray: true } as const;

/** The field shapes above, for other apps' schemas (the gateway's) to write theirs alike. */
export const OPENAPI_FIELDS = { text, nullableText, time, nullableTime, texts } as const;

export const TRACE_DIRECTIONS: readonly TraceDirection[] = ['backward', 'forward'];
export const GAP_RULES: readonly GapRule[] = [
  'output-without-consumption',
  'consumption-of-unknown-lot',
  'shipment-of-held-lot',
  'receipt-without-inspection',
  'output-without-parent',
];
const LOT_ORIGINS: readonly LotOrigin[] = ['received', 'produced', 'referenced'];

@ApiSchema({ name: 'ApiError', description: 'Every error: a stable code and a message.' })
export class ApiErrorSchema {
  @ApiProperty({
    type: String,
    description:
      'INVALID_QUERY (400), a *_NOT_FOUND code (404; NOT_FOUND: no such route), INTERNAL ' +
      '(500); each operation lists its own.',
  })
  code!: string;
  @ApiProperty({ type: String, description: 'Names the field and the rule it breaks.' })
  message!: string;
}

@ApiSchema({ name: 'Quantity' })
export class QuantitySchema implements Quantity {
  @ApiProperty({ type: Number, minimum: 0 }) value!: number;
  @ApiProperty(text) uom!: string;
}

@ApiSchema({ name: 'Actor' })
export class ActorSchema implements Actor {
  @ApiProperty(text) id!: string;
  @ApiProperty({ enum: ['user', 'system'] }) kind!: 'user' | 'system';
  @ApiPropertyOptional(text) name?: string;
}

@ApiSchema({ name: 'TraceNode' })
export class TraceNodeSchema implements TraceNode {
  @ApiProperty(text) lotId!: string;
  @ApiProperty(nullableText) materialId!: string | null;
  @ApiProperty({
    ...nullableText,
    description: 'The ERP lot status; null while none was reported.',
  })
  status!: string | null;
  @ApiProperty({ type: 'integer', minimum: 0, description: 'Links from the root (the root is 0).' })
  depth!: number;
}

@ApiSchema({
  name: 'TraceEdge',
  description: 'Always from the input lot to the output lot, whichever way the trace went.',
})
export class TraceEdgeSchema implements TraceEdge {
  @ApiProperty(text) from!: string;
  @ApiProperty(text) to!: string;
  @ApiProperty(text) orderId!: string;
  @ApiProperty({
    type: () => QuantitySchema,
    nullable: true,
    description: 'How much of `from` the order consumed (summed over its consumptions).',
  })
  quantity!: Quantity | null;
}

@ApiSchema({ name: 'TraceResult' })
export class TraceResultSchema implements TraceResult {
  @ApiProperty(text) root!: string;
  @ApiProperty({ enum: TRACE_DIRECTIONS }) direction!: TraceDirection;
  @ApiProperty({ type: () => TraceNodeSchema, isArray: true }) nodes!: TraceNode[];
  @ApiProperty({ type: () => TraceEdgeSchema, isArray: true }) edges!: TraceEdge[];
}

@ApiSchema({ name: 'ShipmentRef' })
export class ShipmentRefSchema implements ShipmentRef {
  @ApiProperty(text) shipmentId!: string;
  @ApiProperty(text) customerId!: string;
  @ApiProperty(text) salesOrderId!: string;
  @ApiProperty(text) lotId!: string;
  @ApiProperty({ type: () => QuantitySchema }) quantity!: Quantity;
  @ApiProperty(time) shippedAt!: string;
  @ApiProperty(nullableText) carrier!: string | null;
}

@ApiSchema({ name: 'RecallScope' })
export class RecallScopeSchema implements RecallScope {
  @ApiProperty(text) lotId!: string;
  @ApiProperty({ ...texts, description: 'The lot and every descendant.' })
  affectedLots!: string[];
  @ApiProperty({ ...texts, description: 'Affected lots with no shipment line.' })
  onHand!: string[];
  @ApiProperty({ type: () => ShipmentRefSchema, isArray: true }) shipments!: ShipmentRef[];
  @ApiProperty(texts) customers!: string[];
}

@ApiSchema({ name: 'HoldView' })
export class HoldViewSchema implements HoldView {
  @ApiProperty(text) holdId!: string;
  @ApiProperty(nullableText) ncrId!: string | null;
  @ApiProperty(nullableText) reason!: string | null;
  @ApiProperty(nullableTime) placedAt!: string | null;
  @ApiProperty({ type: () => ActorSchema, nullable: true }) placedBy!: Actor | null;
  @ApiProperty(nullableTime) releasedAt!: string | null;
  @ApiProperty({ type: () => ActorSchema, nullable: true }) releasedBy!: Actor | null;
  @ApiProperty(nullableText) approvalReason!: string | null;
  @ApiProperty({ type: Boolean, description: 'Placed and not released.' }) active!: boolean;
}

@ApiSchema({
  name: 'TimelineEntry',
  description: 'One event touching the lot: directly, through an order, or through an NCR.',
})
export class TimelineEntrySchema implements TimelineEntry {
  @ApiProperty(text) eventId!: string;
  @ApiProperty(text) type!: string;
  @ApiProperty(time) time!: string;
  @ApiProperty({ enum: ['lot', 'order', 'ncr'] }) via!: TimelineEntry['via'];
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: "The event's payload as received.",
  })
  data!: Record<string, unknown>;
}

/** The lot's own fields (LotView without holds and timeline; the report's `lot`). */
@ApiSchema({ name: 'LotHeader' })
export class LotHeaderSchema implements Omit<LotView, 'holds' | 'timeline'> {
  @ApiProperty(text) lotId!: string;
  @ApiProperty(nullableText) plant!: string | null;
  @ApiProperty(nullableText) materialId!: string | null;
  @ApiProperty({
    enum: LOT_ORIGINS,
    description: "`referenced`: only named by another lot's event so far.",
  })
  origin!: LotOrigin;
  @ApiProperty(nullableTime) originAt!: string | null;
  @ApiProperty(nullableText) status!: string | null;
  @ApiProperty(nullableTime) statusChangedAt!: string | null;
  @ApiProperty({ type: () => QuantitySchema, nullable: true }) quantity!: Quantity | null;
  @ApiProperty(nullableText) supplierId!: string | null;
  @ApiProperty(nullableText) supplierLotId!: string | null;
  @ApiProperty(nullableText) purchaseOrderId!: string | null;
  @ApiProperty({ ...nullableText, description: 'The order that declared it.' })
  orderId!: string | null;
}

@ApiSchema({ name: 'LotView' })
export class LotViewSchema extends LotHeaderSchema implements LotView {
  @ApiProperty({ type: () => HoldViewSchema, isArray: true }) holds!: HoldView[];
  @ApiProperty({ type: () => TimelineEntrySchema, isArray: true }) timeline!: TimelineEntry[];
}

@ApiSchema({ name: 'GapView' })
export class GapViewSchema implements GapView {
  @ApiProperty(text) gapId!: string;
  @ApiProperty({ enum: GAP_RULES }) rule!: GapRule;
  @ApiProperty({ enum: ['low', 'medium', 'high'] }) severity!: GapView['severity'];
  @ApiProperty({ enum: ['open', 'resolved'] }) status!: GapView['status'];
  @ApiProperty(text) plant!: string;
  @ApiProperty(texts) lotIds!: string[];
  @ApiProperty(nullableText) orderId!: string | null;
  @ApiProperty(text) description!: string;
  @ApiProperty(time) detectedAt!: string;
  @ApiProperty(nullableTime) resolvedAt!: string | null;
}

@ApiSchema({ name: 'GapList' })
export class GapListSchema {
  @ApiProperty({ type: () => GapViewSchema, isArray: true }) items!: GapView[];
}

/** The `lotId` path parameter, with the rule lotIdParam enforces (query-params.ts). */
export const LOT_ID_PARAM: ApiParamOptions = {
  name: 'lotId',
  description: 'The lot id: 1-64 of A-Z a-z 0-9 . _ : / - starting with a letter or digit.',
  schema: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._:/-]{0,63}$' },
};

/** An error answer: its description, the ApiError schema and an example. */
export function errorAnswer(description: string, code: string, message: string) {
  return {
    description,
    type: ApiErrorSchema,
    example: { code, message },
  } satisfies ApiResponseNoStatusOptions;
}

export const INVALID_QUERY_ANSWER = errorAnswer(
  'INVALID_QUERY: a parameter breaks its rule, or is not one the route knows.',
  'INVALID_QUERY',
  'direction: must be one of backward, forward',
);
export const LOT_NOT_FOUND_ANSWER = errorAnswer(
  'LOT_NOT_FOUND: the lot is not known.',
  'LOT_NOT_FOUND',
  "lot 'LOT-1' is not known",
);
export const INTERNAL_ANSWER = errorAnswer(
  'INTERNAL: an unexpected failure; the detail is in the service log only.',
  'INTERNAL',
  'internal error; see the service log',
);
