import { buildEnvelope, dataschemaFor, idempotencyKey, type CloudEvent } from './envelope';
import type { QualityNonconformanceRaisedData } from './generated';
import { EventType } from './generated';

const source = { plant: 'P01', system: 'qms', connectorId: 'qms-main' };
const fact = { system: 'qms', objectId: 'NCR-000123', fact: 'raised' };
const ncrData: QualityNonconformanceRaisedData = {
  ncrId: 'NCR-000123',
  severity: 'major',
  lotIds: ['LOT-2026-0457'],
  defectCode: 'DIM-OOT-012',
  description: 'Bore diameter above upper specification limit.',
  detectedAt: '2026-05-14T08:27:41+02:00',
};
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function raiseNcr(
  overrides: Partial<Parameters<typeof buildEnvelope<'quality.nonconformance.raised'>>[0]> = {},
) {
  return buildEnvelope({
    type: EventType.QualityNonconformanceRaised,
    data: ncrData,
    subject: 'NCR-000123',
    source,
    fact,
    ...overrides,
  });
}

describe('buildEnvelope', () => {
  it('fills every envelope attribute from the input', () => {
    const envelope = raiseNcr({ time: '2026-05-14T08:30:00Z' });
    expect(envelope).toEqual({
      specversion: '1.0',
      id: expect.stringMatching(UUID),
      type: 'quality.nonconformance.raised',
      source: '/plants/P01/qms/qms-main',
      time: '2026-05-14T08:30:00Z',
      subject: 'NCR-000123',
      datacontenttype: 'application/json',
      dataschema: 'urn:threadline:schema:quality.nonconformance.raised:1',
      correlationid: envelope.id,
      idempotencykey: 'qms:NCR-000123:raised',
      plant: 'P01',
      data: ncrData,
    });
    expect(envelope).not.toHaveProperty('causationid');
    expect(envelope).not.toHaveProperty('traceparent');
  });

  it('gives each envelope a new id but the same idempotency key for the same fact', () => {
    const first = raiseNcr();
    const second = raiseNcr();
    expect(first.id).not.toBe(second.id);
    expect(first.idempotencykey).toBe(second.idempotencykey);
  });

  it('carries the correlation id over from the cause and points causationid at it', () => {
    const cause: CloudEvent = { ...raiseNcr(), correlationid: 'flow-42' };
    const command = buildEnvelope({
      type: 'erp.inventory.hold.place',
      data: {
        lotIds: ['LOT-2026-0457'],
        reason: 'NCR-000123 containment',
        ncrId: 'NCR-000123',
        requestedBy: { id: 'threadline', kind: 'system' },
      },
      subject: 'NCR-000123',
      source: { plant: 'P01', system: 'threadline', connectorId: 'orchestrator' },
      fact: { key: `hold-place:${cause.id}` },
      cause,
    });
    expect(command.correlationid).toBe('flow-42');
    expect(command.causationid).toBe(cause.id);
    expect(command.idempotencykey).toBe(`hold-place:${cause.id}`);
  });

  it('uses the source time it is given, as a Date or a string', () => {
    expect(raiseNcr({ time: new Date(Date.UTC(2026, 4, 14, 8, 30)) }).time).toBe(
      '2026-05-14T08:30:00.000Z',
    );
    expect(raiseNcr({ time: '2026-05-14T10:30:00+02:00' }).time).toBe('2026-05-14T10:30:00+02:00');
  });

  it('defaults the time to now, in UTC', () => {
    const before = Date.now();
    const time = raiseNcr().time;
    expect(time).toMatch(/Z$/);
    expect(Date.parse(time)).toBeGreaterThanOrEqual(before);
    expect(Date.parse(time)).toBeLessThanOrEqual(Date.now());
  });

  it('rejects an invalid Date', () => {
    expect(() => raiseNcr({ time: new Date('not a date') })).toThrow('time must be a valid Date');
  });

  it('keeps an explicit id and traceparent', () => {
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    const envelope = raiseNcr({ id: 'fixed-id', traceparent });
    expect(envelope.id).toBe('fixed-id');
    expect(envelope.correlationid).toBe('fixed-id');
    expect(envelope.traceparent).toBe(traceparent);
  });

  it('checks the data type against the message type at compile time', () => {
    buildEnvelope({
      type: 'quality.nonconformance.raised',
      // @ts-expect-error severity must be minor, major or critical
      data: { ...ncrData, severity: 'severe' },
      subject: 'NCR-000123',
      source,
      fact,
    });
    buildEnvelope({
      type: 'mes.line.stop',
      // @ts-expect-error a nonconformance payload is not a line stop command
      data: ncrData,
      subject: 'LINE-1',
      source,
      fact,
    });
    buildEnvelope({
      type: 'quality.nonconformance.raised',
      data: ncrData,
      subject: 'NCR-000123',
      source,
      fact,
      // @ts-expect-error there is no major 2 of this type
      major: 2,
    });
    expect(true).toBe(true);
  });
});

describe('idempotencyKey', () => {
  it('joins system, object id and fact', () => {
    expect(idempotencyKey({ system: 'erp', objectId: 'PO-1:10', fact: 'received' })).toBe(
      'erp:PO-1:10:received',
    );
  });

  it.each([
    ['a colon in the system', { system: 'q:ms', objectId: 'NCR-1', fact: 'raised' }, 'fact.system'],
    ['an empty fact', { system: 'qms', objectId: 'NCR-1', fact: '' }, 'fact.fact'],
    ['an empty object id', { system: 'qms', objectId: '', fact: 'raised' }, 'fact.objectId'],
    ['an empty key', { key: '' }, 'fact.key'],
  ])('rejects %s', (_reason, fact, field) => {
    expect(() => idempotencyKey(fact)).toThrow(field);
  });
});

describe('dataschemaFor', () => {
  it('builds the schema URN', () => {
    expect(dataschemaFor('mes.line.stop', 2)).toBe('urn:threadline:schema:mes.line.stop:2');
  });

  it.each([0, 1.5, -1])('rejects major %p', (major) => {
    expect(() => dataschemaFor('mes.line.stop', major)).toThrow('major');
  });
});
