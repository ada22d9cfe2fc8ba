import { ThreadlineError } from '@threadline/core';
import { MetricsRegistry } from '@threadline/observability';
import { SchemaRegistry } from '@threadline/schema-registry';
import { InboundMapper, type InboundMapperOptions } from './inbound-mapper';
import { compileMapping } from './mapping';
import {
  QMS_NONCONFORMANCE_MAPPING,
  QMS_UNMAPPED_SEVERITY_MAPPING,
  qmsNonconformanceWebhook,
} from './qms-nonconformance.fixture';

const registry = SchemaRegistry.fromDirectory();
const source = { plant: 'PLANT-01', system: 'qms', connectorId: 'qms-main' };

async function invalidCount(metrics: MetricsRegistry, type: string): Promise<number> {
  const { values } = await metrics.mappingOutputInvalid.get();
  const match = values.find(
    (value) =>
      (value.labels as Record<string, string>).connector === 'qms-main' &&
      (value.labels as Record<string, string>).type === type,
  );
  return match?.value ?? 0;
}

function qmsMapper(
  overrides: Partial<InboundMapperOptions> = {},
  mappingSource = QMS_NONCONFORMANCE_MAPPING,
) {
  return new InboundMapper({
    mapping: compileMapping(mappingSource, 'qms-nonconformance'),
    eventType: 'quality.nonconformance.raised',
    source,
    identity: { fact: 'raised', time: '$payload.nc.detected' },
    registry,
    ...overrides,
  });
}

describe('InboundMapper', () => {
  it('maps a QMS nonconformance webhook to a valid quality.nonconformance.raised event', async () => {
    const result = await qmsMapper().map(qmsNonconformanceWebhook());

    if (!result.ok) throw new Error(`expected ok, got ${JSON.stringify(result.errors)}`);
    expect(result.event).toMatchObject({
      specversion: '1.0',
      type: 'quality.nonconformance.raised',
      source: '/plants/PLANT-01/qms/qms-main',
      subject: 'NC-000123',
      plant: 'PLANT-01',
      time: '2026-05-14T08:27:41+02:00',
      dataschema: 'urn:threadline:schema:quality.nonconformance.raised:1',
      idempotencykey: 'qms:NC-000123:raised',
    });
    expect(result.event.data).toEqual({
      ncrId: 'NC-000123',
      severity: 'major',
      lotIds: ['LOT-2026-0457', 'LOT-2026-0458'],
      defectCode: 'DIM-OOT-012',
      description: 'Bore diameter above upper specification limit on 3 of 5 sampled housings.',
      detectedAt: '2026-05-14T08:27:41+02:00',
      assetId: 'ASSET-CNC-04',
      orderId: 'ORD-000789',
      detectedBy: { id: 'u.mueller', kind: 'user', name: 'Anna Mueller' },
    });
    expect(registry.validate(result.event).valid).toBe(true);
  });

  it('gives the same source fact the same idempotency key on a re-poll and after a restart', async () => {
    const payload = qmsNonconformanceWebhook();
    const first = await qmsMapper().map(payload);
    const again = await qmsMapper().map(structuredClone(payload));
    const restarted = await qmsMapper().map(qmsNonconformanceWebhook());
    const other = await qmsMapper().map(qmsNonconformanceWebhook({ number: 'NC-000124' }));

    const keys = [first, again, restarted, other].map((result) =>
      result.ok ? result.event.idempotencykey : 'rejected',
    );
    expect(keys).toEqual([
      'qms:NC-000123:raised',
      'qms:NC-000123:raised',
      'qms:NC-000123:raised',
      'qms:NC-000124:raised',
    ]);
    const ids = [first, again].map((result) => (result.ok ? result.event.id : ''));
    expect(ids[0]).not.toBe(ids[1]);
  });

  it('derives the fact from an expression when one object reports a fact repeatedly', async () => {
    const mapper = qmsMapper({
      identity: { objectId: '$payload.nc.number', fact: { expression: '$payload.event' } },
    });
    const result = await mapper.map(qmsNonconformanceWebhook());
    expect(result.ok && result.event.idempotencykey).toBe('qms:NC-000123:nc.created');
  });

  it('rejects unmapped vendor severity with the schema issue at /data/severity and counts it', async () => {
    const metrics = new MetricsRegistry({ collectProcessMetrics: false });
    const mapper = qmsMapper({ metrics }, QMS_UNMAPPED_SEVERITY_MAPPING);
    const payload = qmsNonconformanceWebhook();

    const result = await mapper.map(payload);

    if (result.ok) throw new Error('expected the output to be rejected');
    expect(result.reason).toBe('schema-invalid');
    expect(result.errors.map((error) => error.path)).toContain('/data/severity');
    expect(result.rawOutput).toMatchObject({ ncrId: 'NC-000123', severity: 'MAJ' });
    expect(result.rejection).toMatchObject({
      connector: 'qms-main',
      mapping: 'qms-nonconformance',
      eventType: 'quality.nonconformance.raised',
      reason: 'schema-invalid',
      payload,
      errors: result.errors,
    });
    expect(await invalidCount(metrics, 'quality.nonconformance.raised')).toBe(1);
  });

  it('rejects a mapping that fails on the payload instead of throwing', async () => {
    const metrics = new MetricsRegistry({ collectProcessMetrics: false });
    const mapper = qmsMapper({ metrics }, '{ "ncrId": $string(1/0) }');

    const result = await mapper.map(qmsNonconformanceWebhook());

    expect(result).toMatchObject({ ok: false, reason: 'evaluation-failed', rawOutput: undefined });
    expect(!result.ok && result.errors[0].message).toMatch(/mapping qms-nonconformance failed/);
    expect(await invalidCount(metrics, 'quality.nonconformance.raised')).toBe(1);
  });

  it('rejects output without a usable subject or idempotency key', async () => {
    const mapper = qmsMapper({}, '{ "severity": "major" }');
    const result = await mapper.map(qmsNonconformanceWebhook());
    expect(result).toMatchObject({ ok: false, reason: 'identity-invalid' });
    expect(!result.ok && result.errors[0].message).toBe(
      'subject must be a non-empty string, got nothing',
    );
  });

  it('reports an output that is not an object at /data', async () => {
    const mapper = qmsMapper(
      { identity: { subject: '$payload.nc.number', fact: 'raised' } },
      '"x"',
    );
    const result = await mapper.map(qmsNonconformanceWebhook());
    expect(result).toMatchObject({ ok: false, reason: 'schema-invalid' });
    expect(!result.ok && result.errors.map((error) => error.path)).toContain('/data');
  });

  it('refuses at construction an event type the registry does not know, or a command', () => {
    expect(() => qmsMapper({ eventType: 'quality.nonconformance.vanished' })).toThrow(
      ThreadlineError,
    );
    expect(() => qmsMapper({ eventType: 'erp.inventory.hold.place' })).toThrow(
      /erp.inventory.hold.place v1 is not an event/,
    );
  });

  it('refuses at construction an identity expression that does not compile', () => {
    expect(() => qmsMapper({ identity: { fact: 'raised', time: '$payload.(' } })).toThrow(
      /mapping qms-nonconformance \(time\)/,
    );
  });
});
