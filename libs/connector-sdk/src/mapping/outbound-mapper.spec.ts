import { buildEnvelope } from '@threadline/contracts';
import { PermanentError } from '@threadline/core';
import { compileMapping } from './mapping';
import { OutboundMapper, checkVendorRequest } from './outbound-mapper';

const holdCommand = buildEnvelope({
  type: 'erp.inventory.hold.place',
  id: '0d6f3a52-8c1e-4b7a-9f0e-2a4b6c8d0e12',
  subject: 'NCR-000123',
  source: { plant: 'PLANT-01', system: 'orchestrator', connectorId: 'ncr-containment' },
  fact: { key: 'hold-place:NCR-000123' },
  time: '2026-05-14T08:28:00Z',
  data: {
    lotIds: ['LOT-2026-0457', 'LOT-2026-0458'],
    reason: 'Containment for NCR-000123: bore diameter out of tolerance',
    ncrId: 'NCR-000123',
    requestedBy: { id: 'threadline-orchestrator', kind: 'system' },
  },
});

/** SAP-style OData: one deep insert with the lots as navigation items. */
const ODATA_HOLD_MAPPING = `{
  "method": "POST",
  "path": "/sap/opu/odata/sap/ZQM_HOLD_SRV/HoldSet",
  "headers": { "Idempotency-Key": idempotencykey, "Content-Type": "application/json" },
  "body": {
    "Plant": plant,
    "ExternalReference": id,
    "Reason": $substring(data.reason, 0, 60),
    "NonconformanceId": data.ncrId,
    "to_Items": { "results": [data.lotIds.{ "Batch": $ }] }
  }
}`;

describe('OutboundMapper', () => {
  it('maps erp.inventory.hold.place to an OData deep-insert request', async () => {
    const mapper = new OutboundMapper({
      mapping: compileMapping(ODATA_HOLD_MAPPING, 'erp-hold-place'),
      commandType: 'erp.inventory.hold.place',
    });

    await expect(mapper.map(holdCommand)).resolves.toEqual({
      method: 'POST',
      path: '/sap/opu/odata/sap/ZQM_HOLD_SRV/HoldSet',
      headers: { 'Idempotency-Key': 'hold-place:NCR-000123', 'Content-Type': 'application/json' },
      body: {
        Plant: 'PLANT-01',
        ExternalReference: '0d6f3a52-8c1e-4b7a-9f0e-2a4b6c8d0e12',
        Reason: 'Containment for NCR-000123: bore diameter out of tolerance',
        NonconformanceId: 'NCR-000123',
        to_Items: { results: [{ Batch: 'LOT-2026-0457' }, { Batch: 'LOT-2026-0458' }] },
      },
    });
  });

  it('uses the configured method and path when the mapping produces only the body', async () => {
    const mapper = new OutboundMapper({
      mapping: compileMapping('{ "lots": data.lotIds }', 'erp-hold-body'),
      commandType: 'erp.inventory.hold.place',
      request: { method: 'PUT', path: '/holds' },
    });
    await expect(mapper.map(holdCommand)).resolves.toEqual({
      method: 'PUT',
      path: '/holds',
      body: { lots: ['LOT-2026-0457', 'LOT-2026-0458'] },
    });
  });

  it('refuses a command of another type', async () => {
    const mapper = new OutboundMapper({
      mapping: compileMapping(ODATA_HOLD_MAPPING, 'erp-hold-place'),
      commandType: 'erp.inventory.hold.release',
    });
    await expect(mapper.map(holdCommand)).rejects.toThrow(
      'mapping erp-hold-place maps erp.inventory.hold.release, got a erp.inventory.hold.place command',
    );
  });

  it('lists every problem of a malformed request in one PermanentError', async () => {
    const mapper = new OutboundMapper({
      mapping: compileMapping(
        '{ "method": "FETCH", "path": "sap/HoldSet", "headers": { "X-Count": 2 }, "body": "x", "url": "/" }',
        'broken',
      ),
      commandType: 'erp.inventory.hold.place',
    });
    const failure = mapper.map(holdCommand);
    await expect(failure).rejects.toBeInstanceOf(PermanentError);
    await expect(failure).rejects.toThrow(
      'mapping broken produced an invalid request: ' +
        'method must be one of GET, POST, PUT, PATCH, DELETE, got "FETCH"; ' +
        `path must be a string starting with '/', got "sap/HoldSet"; ` +
        'headers.X-Count must be a string, got 2; ' +
        'body must be an object, an array or absent, got "x"; ' +
        'unknown field(s) url',
    );
  });

  it.each([
    [undefined, 'got nothing'],
    [['POST', '/x'], 'got an array'],
  ])('refuses a mapping output that is not an object (%p)', (output, detail) => {
    expect(() => checkVendorRequest(output, 'm')).toThrow(
      `mapping m must produce an object {method, path, headers?, body?}, ${detail}`,
    );
  });

  it('refuses a protocol-relative path and accepts a GET without a body', () => {
    expect(() => checkVendorRequest({ method: 'GET', path: '//evil.example/x' }, 'm')).toThrow(
      `path must not start with '//'`,
    );
    expect(checkVendorRequest({ method: 'GET', path: '/lots?$top=10' }, 'm')).toEqual({
      method: 'GET',
      path: '/lots?$top=10',
    });
  });
});
