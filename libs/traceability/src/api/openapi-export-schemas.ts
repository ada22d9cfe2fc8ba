import { ApiProperty, ApiSchema, type SchemaObject } from '@nestjs/swagger';
import { EPCIS_CONTEXT, THREADLINE_VOCABULARY, type EpcisDocument } from '../epcis';
import type { Actor, HoldView, Quantity, TraceResult } from '../model';
import {
  LOT_REPORT_FORMAT,
  LOT_REPORT_VERSION,
  type ActorFact,
  type ActorRole,
  type DispositionFact,
  type EquipmentFact,
  type InspectionFact,
  type LotReportJson,
  type MeasurementFact,
  type RecallSummary,
  type SpecStatus,
  type TimelineRecord,
} from '../report';
import {
  ActorSchema,
  HoldViewSchema,
  LotHeaderSchema,
  QuantitySchema,
  RecallScopeSchema,
  TraceResultSchema,
} from './openapi-schemas';

/**
 * The documents /report?format=json and /epcis answer, as OpenAPI schemas (report/, epcis/),
 * with the same rules as openapi-schemas.ts.
 */

const text = { type: String } as const;
const nullableText = { type: String, nullable: true } as const;
const nullableNumber = { type: Number, nullable: true } as const;
const count = { type: 'integer', minimum: 0 } as const;
type Genealogy = LotReportJson['genealogy'];

const ACTOR_ROLES: readonly ActorRole[] = [
  'operator',
  'inspector',
  'approved-by',
  'released-by',
  'placed-by',
  'detected-by',
];
const SPEC_STATUSES: readonly SpecStatus[] = ['in-spec', 'below-lsl', 'above-usl', 'no-limits'];

@ApiSchema({ name: 'ActorFact' })
export class ActorFactSchema extends ActorSchema implements ActorFact {
  @ApiProperty({ enum: ACTOR_ROLES, description: 'Why the actor appears on the entry.' })
  role!: ActorRole;
}

@ApiSchema({ name: 'EquipmentFact' })
export class EquipmentFactSchema implements EquipmentFact {
  @ApiProperty(nullableText) assetId!: string | null;
  @ApiProperty(nullableText) workCenterId!: string | null;
}

@ApiSchema({ name: 'MeasurementFact' })
export class MeasurementFactSchema implements MeasurementFact {
  @ApiProperty(text) characteristic!: string;
  @ApiProperty({ type: Number }) value!: number;
  @ApiProperty(text) unit!: string;
  @ApiProperty(nullableNumber) lsl!: number | null;
  @ApiProperty(nullableNumber) usl!: number | null;
  @ApiProperty(nullableNumber) target!: number | null;
  @ApiProperty({ enum: SPEC_STATUSES }) status!: SpecStatus;
}

@ApiSchema({ name: 'InspectionFact' })
export class InspectionFactSchema implements InspectionFact {
  @ApiProperty(nullableText) inspectionLotId!: string | null;
  @ApiProperty(nullableText) result!: string | null;
  @ApiProperty({ type: () => MeasurementFactSchema, isArray: true })
  measurements!: MeasurementFact[];
  @ApiProperty({ ...count, description: 'Measurements below their LSL or above their USL.' })
  outOfSpec!: number;
}

@ApiSchema({
  name: 'TimelineRecord',
  description: 'A timeline entry with what an auditor looks for pulled out of its payload.',
})
export class TimelineRecordSchema implements TimelineRecord {
  @ApiProperty(text) eventId!: string;
  @ApiProperty(text) type!: string;
  @ApiProperty({ type: String, format: 'date-time' }) time!: string;
  @ApiProperty({ enum: ['lot', 'order', 'ncr'] }) via!: TimelineRecord['via'];
  @ApiProperty({ type: String, isArray: true, description: 'The lots the event names.' })
  lotIds!: string[];
  @ApiProperty(nullableText) orderId!: string | null;
  @ApiProperty({ type: () => ActorFactSchema, nullable: true }) actor!: ActorFact | null;
  @ApiProperty({ type: () => EquipmentFactSchema, nullable: true })
  equipment!: EquipmentFact | null;
  @ApiProperty({
    type: 'object',
    nullable: true,
    additionalProperties: { oneOf: [{ type: 'string' }, { type: 'number' }, { type: 'boolean' }] },
  })
  parameters!: Record<string, string | number | boolean> | null;
  @ApiProperty({ type: () => InspectionFactSchema, nullable: true })
  inspection!: InspectionFact | null;
  @ApiProperty({ type: () => QuantitySchema, nullable: true }) quantity!: Quantity | null;
  @ApiProperty({ ...text, description: 'One line a person can read.' }) detail!: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: "The event's payload as received, as evidence behind the facts.",
  })
  data!: Record<string, unknown>;
}

@ApiSchema({ name: 'DispositionFact' })
export class DispositionFactSchema implements DispositionFact {
  @ApiProperty(text) ncrId!: string;
  @ApiProperty(text) disposition!: string;
  @ApiProperty({ type: () => ActorSchema, nullable: true }) approvedBy!: Actor | null;
  @ApiProperty(nullableText) reason!: string | null;
  @ApiProperty({ type: String, format: 'date-time' }) dispositionedAt!: string;
}

@ApiSchema({ name: 'RecallSummary' })
export class RecallSummarySchema extends RecallScopeSchema implements RecallSummary {
  @ApiProperty(count) affectedLotCount!: number;
  @ApiProperty(count) onHandCount!: number;
  @ApiProperty(count) shipmentCount!: number;
  @ApiProperty(count) customerCount!: number;
}

@ApiSchema({ name: 'Genealogy' })
export class GenealogySchema implements Genealogy {
  @ApiProperty({ type: () => TraceResultSchema }) backward!: TraceResult;
  @ApiProperty({ type: () => TraceResultSchema }) forward!: TraceResult;
}

@ApiSchema({ name: 'LotReport', description: 'The audit report of one lot (format=json).' })
export class LotReportSchema implements LotReportJson {
  @ApiProperty({ enum: [LOT_REPORT_FORMAT] }) format!: typeof LOT_REPORT_FORMAT;
  @ApiProperty({ type: 'integer', enum: [LOT_REPORT_VERSION] }) version!: 1;
  @ApiProperty({ type: String, format: 'date-time' }) generatedAt!: string;
  @ApiProperty({ type: () => LotHeaderSchema }) lot!: LotHeaderSchema;
  @ApiProperty({ type: () => GenealogySchema }) genealogy!: GenealogySchema;
  @ApiProperty({ type: () => TimelineRecordSchema, isArray: true, description: 'Oldest first.' })
  timeline!: TimelineRecord[];
  @ApiProperty({ type: () => HoldViewSchema, isArray: true }) holds!: HoldView[];
  @ApiProperty({ type: () => DispositionFactSchema, isArray: true })
  dispositions!: DispositionFact[];
  @ApiProperty({ type: () => RecallSummarySchema }) recall!: RecallSummary;
}

const QUANTITY_LIST: SchemaObject = {
  type: 'array',
  items: {
    type: 'object',
    required: ['epcClass'],
    properties: {
      epcClass: { type: 'string' },
      quantity: { type: 'number' },
      uom: { type: 'string', description: 'A UN/CEFACT unit code.' },
    },
  },
};

@ApiSchema({ name: 'EpcisBody' })
export class EpcisBodySchema {
  @ApiProperty({
    type: 'array',
    description:
      'Oldest first: ObjectEvents (receiving, inspecting, shipping) and a TransformationEvent ' +
      'per production order, with `threadline:*` extension fields (docs/epcis.md).',
    items: {
      type: 'object',
      required: ['type', 'eventTime', 'eventTimeZoneOffset', 'eventID'],
      additionalProperties: true,
      properties: {
        type: { type: 'string', enum: ['ObjectEvent', 'TransformationEvent'] },
        eventTime: { type: 'string', format: 'date-time' },
        eventTimeZoneOffset: { type: 'string', example: '+00:00' },
        eventID: { type: 'string' },
        action: { type: 'string', enum: ['OBSERVE'] },
        bizStep: { type: 'string', enum: ['receiving', 'inspecting', 'shipping'] },
        disposition: { type: 'string' },
        transformationID: { type: 'string' },
        quantityList: QUANTITY_LIST,
        inputQuantityList: QUANTITY_LIST,
        outputQuantityList: QUANTITY_LIST,
      },
    },
  })
  eventList!: EpcisDocument['epcisBody']['eventList'];
}

@ApiSchema({ name: 'EpcisDocument', description: 'A GS1 EPCIS 2.0 JSON-LD EPCISDocument.' })
export class EpcisDocumentSchema implements EpcisDocument {
  @ApiProperty({
    type: 'array',
    items: { oneOf: [{ type: 'string' }, { type: 'object' }] },
    example: [EPCIS_CONTEXT, THREADLINE_VOCABULARY],
  })
  '@context'!: EpcisDocument['@context'];
  @ApiProperty({ enum: ['EPCISDocument'] }) type!: 'EPCISDocument';
  @ApiProperty({ enum: ['2.0'] }) schemaVersion!: '2.0';
  @ApiProperty({ type: String, format: 'date-time' }) creationDate!: string;
  @ApiProperty({ type: () => EpcisBodySchema }) epcisBody!: EpcisBodySchema;
}
