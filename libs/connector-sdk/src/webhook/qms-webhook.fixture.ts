import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLogger, type MetricsRegistry } from '@threadline/observability';
import { SchemaRegistry } from '@threadline/schema-registry';
import { InboundMapper } from '../mapping/inbound-mapper';
import { compileMapping } from '../mapping/mapping';
import { signWebhook } from '@threadline/security';

/** The connector's mapping for the QMS `nonconformance.raised` webhook (plant simulator shape). */
export const QMS_WEBHOOK_MAPPING_FILE = join(
  __dirname,
  '../../../../connectors/mappings/qms-nonconformance.jsonata',
);

export const WEBHOOK_SECRET = 'qms-webhook-test-secret';
export const WEBHOOK_PATH = '/webhooks/qms/nonconformances';
export const silentLogger = createLogger({ service: 'webhook-test', level: 'silent' });

const registry = SchemaRegistry.fromDirectory();

export function qmsWebhookMapper(metrics?: MetricsRegistry, expression?: string): InboundMapper {
  return new InboundMapper({
    mapping: compileMapping(
      expression ?? readFileSync(QMS_WEBHOOK_MAPPING_FILE, 'utf8'),
      'qms-nonconformance',
    ),
    eventType: 'quality.nonconformance.raised',
    source: { plant: 'PLANT-01', system: 'qms', connectorId: 'qms' },
    identity: { fact: 'raised', time: '$payload.occurred_at' },
    registry,
    metrics,
  });
}

/** A `nonconformance.raised` webhook body exactly as the plant simulator sends it. */
export function nonconformanceRaisedBody(
  overrides: { webhookId?: string; ncNumber?: string; severity?: string } = {},
): string {
  return JSON.stringify({
    id: overrides.webhookId ?? 'wh_0001',
    event: 'nonconformance.raised',
    occurred_at: '2026-05-14T06:27:45.000Z',
    data: {
      nc_number: overrides.ncNumber ?? 'NC-000001',
      status: 'OPEN',
      severity_level: overrides.severity ?? 'MAJOR',
      affected_lots: ['LOT-1001', 'LOT-1002'],
      defect_code: 'DIM-OUT-OF-TOLERANCE',
      description: 'Dimension out of tolerance found at final inspection',
      detected_at: '2026-05-14T06:27:41.000Z',
      equipment_ref: 'PRESS-01',
      work_order_ref: null,
      reported_by: { user_id: 'u.mueller', display_name: 'Anna Mueller' },
      disposition: null,
      closed_at: null,
      capa_ref: null,
      updated_at: '2026-05-14T06:27:45.000Z',
      change_seq: 7,
    },
  });
}

/** The headers a QMS sends with a body (signed now unless a timestamp is given). */
export function signedHeaders(
  rawBody: string,
  options: { secret?: string; timestamp?: number; webhookId?: string } = {},
): Record<string, string> {
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const webhookId = options.webhookId ?? (JSON.parse(rawBody) as { id: string }).id;
  return {
    'content-type': 'application/json',
    'x-webhook-id': webhookId,
    'x-threadline-timestamp': String(timestamp),
    'x-threadline-signature': signWebhook({
      rawBody,
      secret: options.secret ?? WEBHOOK_SECRET,
      timestamp,
    }),
  };
}
