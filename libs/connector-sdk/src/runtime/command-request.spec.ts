import { PermanentError, ThreadlineError } from '@threadline/core';
import { buildEnvelope, type CloudEvent } from '@threadline/contracts';
import type { CommandBinding } from '../config/connector-config.types';
import { CompiledCommandBinding, PathTemplate } from './command-request';

const SOURCE = { plant: 'PLANT-01', system: 'threadline', connectorId: 'orchestrator' };

function holdPlace(): CloudEvent {
  return buildEnvelope({
    type: 'erp.inventory.hold.place',
    data: {
      lotIds: ['LOT-1', 'LOT-2'],
      reason: 'nonconformance NC-1',
      ncrId: 'NC-1',
      requestedBy: { id: 'qe-7', kind: 'user' },
    },
    subject: 'NC-1',
    source: SOURCE,
    fact: { key: 'orchestrator:NC-1:hold-place' },
  });
}

/** A command whose data is whatever the path test needs (PathTemplate reads any envelope). */
function commandWith(data: object): CloudEvent {
  return { ...holdPlace(), data };
}

function binding(overrides: Partial<CommandBinding> = {}): CommandBinding {
  return {
    type: 'erp.inventory.hold.place',
    request: { method: 'PUT', path: '/holds/{data.ncrId}' },
    mapping: { expression: '{ "lots": data.lotIds, "why": data.reason }' },
    result: { expression: '{ "holdId": response.id }' },
    idempotency: 'header',
    ...overrides,
  };
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

describe('PathTemplate', () => {
  it('resolves every {expression} part against the command and keeps the literal parts', async () => {
    const template = new PathTemplate('/lines/{data.lineId}/orders/{data.orderId}/stop', 'mes');
    const path = await template.resolve(commandWith({ lineId: 'LINE-1', orderId: 'ORD-7' }));
    expect(path).toBe('/lines/LINE-1/orders/ORD-7/stop');
    expect(template.template).toBe('/lines/{data.lineId}/orders/{data.orderId}/stop');
  });

  it('URL-encodes values, so a field cannot add path segments or a query string', async () => {
    const template = new PathTemplate('/lines/{data.lineId}/stop', 'mes');
    expect(await template.resolve(commandWith({ lineId: 'LINE 1/x' }))).toBe(
      '/lines/LINE%201%2Fx/stop',
    );
    expect(await template.resolve(commandWith({ lineId: '../admin?all=1#top' }))).toBe(
      '/lines/..%2Fadmin%3Fall%3D1%23top/stop',
    );
  });

  it('accepts numbers', async () => {
    const template = new PathTemplate('/stations/{data.station}/slots/{data.slot}', 'mes');
    expect(await template.resolve(commandWith({ station: 42, slot: 1.5 }))).toBe(
      '/stations/42/slots/1.5',
    );
  });

  it('reads envelope fields as well as data', async () => {
    const command = holdPlace();
    const template = new PathTemplate('/requests/{idempotencykey}', 'erp');
    expect(await template.resolve(command)).toBe('/requests/orchestrator%3ANC-1%3Ahold-place');
  });

  it.each([
    ['nothing', {}],
    ['an object', { lineId: { id: 'LINE-1' } }],
    ['a boolean', { lineId: true }],
    ['an array', { lineId: ['LINE-1', 'LINE-2'] }],
  ])('refuses a part that gives %s with a PermanentError naming the part', async (_, data) => {
    const template = new PathTemplate('/lines/{data.lineId}/stop', 'mes-main/mes.line.stop');
    const error = await rejection(template.resolve(commandWith(data)));
    expect(error).toBeInstanceOf(PermanentError);
    expect(error.message).toBe(
      'mes-main/mes.line.stop path {data.lineId} must give a string or a number, got nothing usable',
    );
  });

  it.each([
    '/lines/{data.lineId/stop',
    '/lines/data.lineId}/stop',
    '/lines/{{data.lineId}}/stop',
    '/lines/{}/stop',
  ])('refuses %s at construction as CONFIGURATION_INVALID', (path) => {
    let thrown: unknown;
    try {
      new PathTemplate(path, 'mes-main/mes.line.stop');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ThreadlineError);
    expect(thrown).toMatchObject({
      code: 'CONFIGURATION_INVALID',
      message: `mes-main/mes.line.stop: request path '${path}' has an unbalanced '{' or '}'`,
    });
  });

  it('refuses a part that is not JSONata at construction, naming the part', () => {
    expect(() => new PathTemplate('/lines/{data.(}/stop', 'mes-main/mes.line.stop')).toThrow(
      /mapping mes-main\/mes\.line\.stop path \{data\.\(\}/,
    );
  });
});

describe('CompiledCommandBinding.request', () => {
  it('takes the method from the binding, the body from the mapping and sends the Idempotency-Key header', async () => {
    const command = holdPlace();
    const request = await new CompiledCommandBinding(binding(), 'erp-main').request(command);
    expect(request).toStrictEqual({
      method: 'PUT',
      path: '/holds/NC-1',
      headers: { 'Idempotency-Key': 'orchestrator:NC-1:hold-place' },
      body: { lots: ['LOT-1', 'LOT-2'], why: 'nonconformance NC-1' },
    });
  });

  it.each(['external-reference', 'none'] as const)(
    'sends no Idempotency-Key header with idempotency %s',
    async (idempotency) => {
      const compiled = new CompiledCommandBinding(
        binding({ idempotency, request: { method: 'POST', path: '/holds' } }),
        'erp-main',
      );
      expect(await compiled.request(holdPlace())).toStrictEqual({
        method: 'POST',
        path: '/holds',
        body: { lots: ['LOT-1', 'LOT-2'], why: 'nonconformance NC-1' },
      });
    },
  );

  it('leaves the body out when the mapping gives nothing', async () => {
    const compiled = new CompiledCommandBinding(
      binding({
        request: { method: 'DELETE', path: '/holds/{data.ncrId}' },
        mapping: { expression: 'data.nothing' },
        idempotency: 'none',
      }),
      'erp-main',
    );
    expect(await compiled.request(holdPlace())).toStrictEqual({
      method: 'DELETE',
      path: '/holds/NC-1',
    });
  });

  it.each([
    ['a string', '"hold"', /body must be an object, an array or absent, got "hold"/],
    ['a number', '42', /body must be an object, an array or absent, got 42/],
    ['a boolean', 'true', /body must be an object, an array or absent, got true/],
  ])(
    'refuses a mapping that gives %s as body with a PermanentError naming the mapping',
    async (_, expression, problem) => {
      const compiled = new CompiledCommandBinding(binding({ mapping: { expression } }), 'erp-main');
      const error = await rejection(compiled.request(holdPlace()));
      expect(error).toBeInstanceOf(PermanentError);
      expect(error.message).toMatch(
        /^mapping erp-main\/erp\.inventory\.hold\.place mapping produced an invalid request: /,
      );
      expect(error.message).toMatch(problem);
    },
  );

  it('names the mapping file when the binding came from one', async () => {
    const compiled = new CompiledCommandBinding(
      binding({ mapping: { expression: '"hold"', file: '/config/mappings/erp-hold.jsonata' } }),
      'erp-main',
    );
    await expect(compiled.request(holdPlace())).rejects.toThrow(
      /^mapping \/config\/mappings\/erp-hold\.jsonata produced an invalid request/,
    );
  });

  it('compiles the result mapping under the connector and command name', async () => {
    const compiled = new CompiledCommandBinding(binding(), 'erp-main');
    expect(compiled.result.name).toBe('erp-main/erp.inventory.hold.place result');
    expect(await compiled.result.evaluate({ response: { id: 'HOLD-9' } })).toEqual({
      holdId: 'HOLD-9',
    });
  });
});
