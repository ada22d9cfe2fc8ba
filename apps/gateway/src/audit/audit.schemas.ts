import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { OPENAPI_FIELDS } from '@threadline/traceability';

/** One audit log entry as the API shows it. */
export interface AuditEntryView {
  seq: number;
  at: string;
  actor: { id: string; kind: string };
  action: string;
  subject: string | null;
  reason: string | null;
  causeEventId: string | null;
  detail: Record<string, unknown> | null;
  prevHash: string;
  hash: string;
}

const hash = { type: 'string', pattern: '^[0-9a-f]{64}$' } as const;
const { nullableText, time } = OPENAPI_FIELDS;

@ApiSchema({ name: 'AuditActor' })
export class AuditActorSchema {
  @ApiProperty({ type: 'string', description: 'A user id, an API key id or a service name.' })
  id!: string;
  @ApiProperty({ type: 'string', enum: ['user', 'apikey', 'service', 'system'] }) kind!: string;
}

@ApiSchema({
  name: 'AuditEntry',
  description:
    'A decision or override, hash-chained: hash = SHA-256 over the canonical entry including ' +
    'prevHash (ADR 0012).',
})
export class AuditEntrySchema implements AuditEntryView {
  @ApiProperty({ type: 'integer', minimum: 1, description: 'Position in the chain.' }) seq!: number;
  @ApiProperty(time) at!: string;
  @ApiProperty({ type: () => AuditActorSchema }) actor!: { id: string; kind: string };
  @ApiProperty({
    type: 'string',
    description:
      'e.g. hold.requested, hold.placed, hold.released, disposition.recorded, ' +
      'disposition.refused, dlq.redriven, replay, apikey.created, apikey.revoked, ' +
      'config.loaded, login.failed',
  })
  action!: string;
  @ApiProperty(nullableText) subject!: string | null;
  @ApiProperty({ ...nullableText, description: 'Why: the reason given or the rule applied.' })
  reason!: string | null;
  @ApiProperty({ ...nullableText, description: 'The CloudEvent id that caused the decision.' })
  causeEventId!: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true })
  detail!: Record<string, unknown> | null;
  @ApiProperty(hash) prevHash!: string;
  @ApiProperty(hash) hash!: string;
}

@ApiSchema({ name: 'AuditEntryPage', description: 'In the order appended (seq), oldest first.' })
export class AuditEntryPageSchema {
  @ApiProperty({ type: () => AuditEntrySchema, isArray: true }) items!: AuditEntryView[];
  @ApiProperty({
    ...nullableText,
    description: 'Pass as `cursor` for the next page; null on the last page.',
  })
  nextCursor!: string | null;
  @ApiProperty({
    ...nullableText,
    description: 'The link to the next page (same filters); null on the last page.',
  })
  next!: string | null;
}
