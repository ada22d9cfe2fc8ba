import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { OPENAPI_FIELDS } from '@threadline/traceability';
import {
  FLOW_STATES,
  type ConnectorHealthState,
  type ConnectorHealthView,
  type ConnectorTargetView,
  type ConnectorView,
  type DeadLetterQueueView,
  type DeadLetterView,
  type EventView,
  type FlowState,
  type FlowStepView,
  type FlowSummary,
  type FlowView,
  type RedriveView,
  type ReplayView,
} from './model';

/**
 * The gateway's answers as OpenAPI schemas: each class implements its model type, every field is
 * required, `| null` fields are nullable. Never instantiated.
 */

const { text, nullableText, time, nullableTime, texts } = OPENAPI_FIELDS;
const nullableInteger = { type: 'integer', nullable: true } as const;
const anyObject = { type: 'object', additionalProperties: true } as const;
const nextCursor = {
  ...nullableText,
  description: 'Pass as `cursor` for the next page; null on the last page.',
} as const;
const next = {
  ...nullableText,
  description: 'The link to the next page (same filters); null on the last page.',
} as const;

@ApiSchema({ name: 'FlowStep', description: 'One entry of the flow timeline, in order.' })
export class FlowStepSchema implements FlowStepView {
  @ApiProperty(text) name!: string;
  @ApiProperty({ ...text, description: 'What happened to the step (sent, answered ...).' })
  state!: string;
  @ApiProperty(time) at!: string;
  @ApiProperty({ ...anyObject, nullable: true }) detail!: Record<string, unknown> | null;
}

@ApiSchema({ name: 'FlowSummary' })
export class FlowSummarySchema implements FlowSummary {
  @ApiProperty(text) id!: string;
  @ApiProperty({ ...text, description: 'The flow definition, e.g. nc-containment.' })
  type!: string;
  @ApiProperty({ enum: FLOW_STATES }) state!: FlowState;
  @ApiProperty(text) subject!: string;
  @ApiProperty(text) plant!: string;
  @ApiProperty(text) correlationId!: string;
  @ApiProperty({ ...nullableText, description: 'null once the flow has ended.' })
  currentStep!: string | null;
  @ApiProperty(time) startedAt!: string;
  @ApiProperty(time) updatedAt!: string;
}

@ApiSchema({ name: 'Flow' })
export class FlowSchema extends FlowSummarySchema implements FlowView {
  @ApiProperty({ type: () => FlowStepSchema, isArray: true }) steps!: FlowStepView[];
}

@ApiSchema({ name: 'FlowPage', description: 'Newest first.' })
export class FlowPageSchema {
  @ApiProperty({ type: () => FlowSummarySchema, isArray: true }) items!: FlowSummary[];
  @ApiProperty(nextCursor) nextCursor!: string | null;
  @ApiProperty(next) next!: string | null;
}

@ApiSchema({ name: 'EventRecord', description: 'An accepted event, as the event log keeps it.' })
export class EventSchema implements EventView {
  @ApiProperty(text) id!: string;
  @ApiProperty(text) type!: string;
  @ApiProperty({ ...time, description: 'When it happened at the source.' }) time!: string;
  @ApiProperty(text) subject!: string;
  @ApiProperty(text) correlationId!: string;
  @ApiProperty(nullableText) causationId!: string | null;
  @ApiProperty(text) plant!: string;
  @ApiProperty(text) source!: string;
  @ApiProperty({ ...time, description: 'When Threadline accepted it.' }) recordedAt!: string;
  @ApiProperty({ ...anyObject, description: "The event's data as received." }) data!: unknown;
}

@ApiSchema({ name: 'EventPage', description: 'In time order, oldest first.' })
export class EventPageSchema {
  @ApiProperty({ type: () => EventSchema, isArray: true }) items!: EventView[];
  @ApiProperty(nextCursor) nextCursor!: string | null;
  @ApiProperty(next) next!: string | null;
}

@ApiSchema({ name: 'DeadLetterQueue' })
export class DeadLetterQueueSchema implements DeadLetterQueueView {
  @ApiProperty(text) queue!: string;
  @ApiProperty({ type: 'integer', minimum: 0 }) depth!: number;
}

@ApiSchema({ name: 'DeadLetterQueuePage', description: 'Declared dead-letter queues only.' })
export class DeadLetterQueuePageSchema {
  @ApiProperty({ type: () => DeadLetterQueueSchema, isArray: true }) items!: DeadLetterQueueView[];
  @ApiProperty(nextCursor) nextCursor!: string | null;
  @ApiProperty(next) next!: string | null;
}

@ApiSchema({ name: 'DeadLetter' })
export class DeadLetterSchema implements DeadLetterView {
  @ApiProperty(text) messageId!: string;
  @ApiProperty(text) routingKey!: string;
  @ApiProperty({
    ...anyObject,
    description: 'The broker headers: x-threadline-error-kind, -error-message, -attempts ...',
  })
  headers!: Record<string, unknown>;
  @ApiProperty({ ...text, description: 'JSON pretty-printed; anything else as it came.' })
  body!: string;
}

@ApiSchema({ name: 'DeadLetterPage', description: 'Oldest first; the messages stay in place.' })
export class DeadLetterPageSchema {
  @ApiProperty({ type: () => DeadLetterSchema, isArray: true }) items!: DeadLetterView[];
  @ApiProperty(nextCursor) nextCursor!: string | null;
  @ApiProperty(next) next!: string | null;
}

@ApiSchema({
  name: 'RedriveRequest',
  description: 'Exactly one of `ids` and `all`.',
})
export class RedriveRequestSchema {
  @ApiProperty({ ...texts, required: false, minItems: 1, maxItems: 1000 }) ids?: string[];
  @ApiProperty({ type: Boolean, required: false, enum: [true] }) all?: true;
}

@ApiSchema({
  name: 'ReplayRequest',
  description: 'Exactly one of `ids` (events by id) and `correlationId` (a business transaction).',
})
export class ReplayRequestSchema {
  @ApiProperty({ ...texts, required: false, minItems: 1, maxItems: 1000 }) ids?: string[];
  @ApiProperty({ ...text, required: false, maxLength: 128 }) correlationId?: string;
}

@ApiSchema({
  name: 'Replay',
  description: 'The events sent again to the events exchange, in time order (audited).',
})
export class ReplaySchema implements ReplayView {
  @ApiProperty({ type: 'integer', minimum: 1 }) replayed!: number;
  @ApiProperty(texts) ids!: string[];
}

@ApiSchema({ name: 'Redrive', description: 'What moved; recorded in dlq_action as actionId.' })
export class RedriveSchema implements RedriveView {
  @ApiProperty(text) queue!: string;
  @ApiProperty({ type: 'integer', minimum: 0 }) moved!: number;
  @ApiProperty(texts) movedIds!: string[];
  @ApiProperty({ ...texts, description: 'Asked-for ids that were not in the queue.' })
  missingIds!: string[];
  @ApiProperty({ ...text, format: 'uuid' }) actionId!: string;
}

@ApiSchema({ name: 'ConnectorTarget' })
export class ConnectorTargetSchema implements ConnectorTargetView {
  @ApiProperty({ enum: ['http', 'opcua', 'modbus'] }) kind!: string;
  @ApiProperty(text) name!: string;
  @ApiProperty({ ...text, description: 'Where it points, credentials removed.' }) url!: string;
}

@ApiSchema({ name: 'ConnectorHealth', description: 'The last probe (cached briefly).' })
export class ConnectorHealthSchema implements ConnectorHealthView {
  @ApiProperty({
    enum: ['up', 'down', 'unchecked'],
    description: 'unchecked: no HTTP target to probe (a PLC connector).',
  })
  state!: ConnectorHealthState;
  @ApiProperty(nullableText) probe!: string | null;
  @ApiProperty(nullableInteger) status!: number | null;
  @ApiProperty(nullableInteger) latencyMs!: number | null;
  @ApiProperty(nullableText) error!: string | null;
  @ApiProperty(nullableTime) checkedAt!: string | null;
}

@ApiSchema({ name: 'Connector' })
export class ConnectorSchema implements ConnectorView {
  @ApiProperty(text) name!: string;
  @ApiProperty(text) plant!: string;
  @ApiProperty(text) system!: string;
  @ApiProperty(text) adapter!: string;
  @ApiProperty(nullableText) description!: string | null;
  @ApiProperty(text) file!: string;
  @ApiProperty({ type: () => ConnectorTargetSchema, isArray: true })
  targets!: ConnectorTargetView[];
  @ApiProperty({ type: () => ConnectorHealthSchema }) health!: ConnectorHealthView;
}

@ApiSchema({ name: 'ConnectorPage', description: 'Valid configurations, by name.' })
export class ConnectorPageSchema {
  @ApiProperty({ type: () => ConnectorSchema, isArray: true }) items!: ConnectorView[];
  @ApiProperty(nextCursor) nextCursor!: string | null;
  @ApiProperty(next) next!: string | null;
  @ApiProperty({
    ...texts,
    description: 'Files that are not valid configurations: file, field and rule (no values).',
  })
  problems!: string[];
}

@ApiSchema({ name: 'ComponentHealth' })
export class ComponentHealthSchema {
  @ApiProperty(text) name!: string;
  @ApiProperty({ enum: ['up', 'degraded', 'down'] }) state!: string;
}

@ApiSchema({ name: 'Health', description: 'down when the broker or the database is down.' })
export class HealthSchema {
  @ApiProperty({ enum: ['up', 'degraded', 'down'] }) status!: string;
  @ApiProperty({ type: () => ComponentHealthSchema, isArray: true })
  components!: ComponentHealthSchema[];
}
