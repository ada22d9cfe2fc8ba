import { randomUUID } from 'node:crypto';
import type { CloudEventEnvelope } from '@threadline/schema-registry';

/** A valid quality.nonconformance.raised envelope; override anything for a test. */
export function nonconformanceRaised(
  overrides: Partial<CloudEventEnvelope> & { key?: string } = {},
): CloudEventEnvelope {
  const id = randomUUID();
  const { key, ...rest } = overrides;
  return {
    specversion: '1.0',
    id,
    type: 'quality.nonconformance.raised',
    source: '/plants/P01/qms/qms-main',
    time: new Date().toISOString(),
    subject: 'NCR-000123',
    datacontenttype: 'application/json',
    dataschema: 'urn:threadline:schema:quality.nonconformance.raised:1',
    correlationid: id,
    idempotencykey: key ?? `qms:${id}:raised`,
    plant: 'P01',
    data: {
      ncrId: 'NCR-000123',
      severity: 'major',
      lotIds: ['LOT-2026-0457'],
      defectCode: 'DIM-OOT-012',
      description: 'Bore diameter above upper specification limit.',
      detectedAt: '2026-05-14T08:27:41+02:00',
    },
    ...rest,
  };
}

/** A valid inventory.hold.placed envelope caused by `cause`. */
export function holdPlaced(
  cause: CloudEventEnvelope,
  holdId = `HOLD-${cause.id.slice(0, 8)}`,
): CloudEventEnvelope {
  const id = randomUUID();
  return {
    specversion: '1.0',
    id,
    type: 'inventory.hold.placed',
    source: '/plants/P01/erp/erp-main',
    time: new Date().toISOString(),
    subject: holdId,
    datacontenttype: 'application/json',
    dataschema: 'urn:threadline:schema:inventory.hold.placed:1',
    correlationid: cause.correlationid,
    causationid: cause.id,
    idempotencykey: `erp:${holdId}:placed`,
    plant: 'P01',
    data: {
      holdId,
      lotIds: ['LOT-2026-0457'],
      reason: 'NC containment',
      placedAt: new Date().toISOString(),
    },
  };
}

/** A valid cmms.workorder.create command. */
export function workOrderCreate(overrides: Partial<CloudEventEnvelope> = {}): CloudEventEnvelope {
  const id = randomUUID();
  return {
    specversion: '1.0',
    id,
    type: 'cmms.workorder.create',
    source: '/plants/P01/threadline/orchestrator',
    time: new Date().toISOString(),
    subject: 'ASSET-CNC-04',
    datacontenttype: 'application/json',
    dataschema: 'urn:threadline:schema:cmms.workorder.create:1',
    correlationid: id,
    idempotencykey: `orchestrator:${id}:workorder`,
    plant: 'P01',
    data: {
      assetId: 'ASSET-CNC-04',
      priority: 'emergency',
      kind: 'emergency',
      description: 'Spindle vibration',
    },
    ...overrides,
  };
}

/** Polls `check` until it returns true or `timeoutMs` passes; then fails with `what`. */
export async function eventually(
  check: () => Promise<boolean> | boolean,
  what: string,
  timeoutMs = 15_000,
  intervalMs = 25,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
