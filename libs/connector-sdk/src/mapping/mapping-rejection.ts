import type { MetricsRegistry } from '@threadline/observability';
import type { ValidationIssue } from '@threadline/schema-registry';

/** Why a vendor payload could not become a canonical event. */
export type RejectionReason =
  /** The JSONata mapping threw (bad input for it, e.g. `$number("n/a")`). */
  | 'evaluation-failed'
  /** Subject, idempotency key or time could not be derived from the payload. */
  | 'identity-invalid'
  /** The envelope built from the mapping output does not match the canonical schema. */
  | 'schema-invalid';

/**
 * Everything an operator needs to fix a rejected payload: the vendor payload as received, the
 * mapping output, and the reasons. It is what goes to the connector's dead-letter queue
 * instead of the bus.
 *
 * Publishing it to the DLQ is the connector runtime's job (wired in a later step, through a
 * MappingRejectionSink); until then the rejection is returned to the caller and counted.
 */
export interface MappingRejection {
  connector: string;
  mapping: string;
  eventType: string;
  reason: RejectionReason;
  errors: ValidationIssue[];
  payload: unknown;
  /** The mapping's output, `undefined` when the mapping itself failed. */
  rawOutput: unknown;
  rejectedAt: string;
}

/** Where the connector runtime sends rejections (the connector's DLQ). */
export interface MappingRejectionSink {
  reject(rejection: MappingRejection): Promise<void>;
}

/** A rejection before it is stamped with its time. */
export type RejectMappedOutputInput = Omit<MappingRejection, 'rejectedAt'>;

/**
 * Records a rejected mapping output: increments `threadline_mapping_output_invalid_total
 * {connector,type}` and returns the rejection for the DLQ. Never throws, so a bad payload
 * cannot stop a connector's polling loop or webhook handler.
 */
export function rejectMappedOutput(
  input: RejectMappedOutputInput,
  metrics: MetricsRegistry | undefined,
  now: () => Date = () => new Date(),
): MappingRejection {
  metrics?.mappingOutputInvalid.inc({ connector: input.connector, type: input.eventType });
  return { ...input, rejectedAt: now().toISOString() };
}
