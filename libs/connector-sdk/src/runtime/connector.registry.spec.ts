import { ThreadlineError } from '@threadline/core';
import type {
  CommandBinding,
  ConnectorConfig,
  PollingSource,
  WebhookSource,
} from '../config/connector-config.types';
import { checkConfigRules } from '../config/cross-field.rules';
import { ConnectorRegistry } from './connector.registry';
import type { ConnectorSpec } from './connector-spec.types';

/** A spec whose adapter must never be built here: the registry only reads declarations. */
function spec(overrides: Partial<ConnectorSpec> = {}): ConnectorSpec {
  return {
    adapter: 'generic-rest',
    system: 'erp',
    description: 'test ERP',
    commands: { 'erp.inventory.hold.place': 'inventory.hold.placed' },
    events: ['material.lot.received', 'shipment.dispatched'],
    retry: { maxAttempts: 3, initialDelayMs: 100, maxDelayMs: 1000 },
    circuitBreaker: { failureThreshold: 5, openSeconds: 30 },
    probePath: '/',
    create: () => {
      throw new Error('unexpected call: create');
    },
    ...overrides,
  };
}

const MAPPING = { expression: '$' };

function command(type: string): CommandBinding {
  return {
    type,
    request: { method: 'POST', path: '/holds' },
    mapping: MAPPING,
    result: MAPPING,
    idempotency: 'header',
  };
}

function polling(eventType: string): PollingSource {
  return {
    name: `poll-${eventType}`,
    resource: '/feed',
    intervalSeconds: 30,
    cursorField: 'changedAt',
    mapping: MAPPING,
    eventType,
  };
}

function webhook(eventType: string): WebhookSource {
  return {
    name: `hook-${eventType}`,
    path: `/hooks/${eventType}`,
    secret: 'secret',
    toleranceSeconds: 300,
    mapping: MAPPING,
    eventType,
  };
}

function config(settings: Partial<ConnectorConfig['spec']> = {}): ConnectorConfig {
  return {
    apiVersion: 'threadline/v1',
    kind: 'Connector',
    metadata: { name: 'erp-main', plant: 'PLANT-01' },
    spec: {
      system: 'erp',
      adapter: 'generic-rest',
      target: { baseUrl: 'http://erp.local', timeoutMs: 1000 },
      ...settings,
    },
  };
}

function thrown(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

describe('ConnectorRegistry', () => {
  it('registers specs by adapter name and lists them', () => {
    const rest = spec();
    const sap = spec({ adapter: 'sap-odata-v2' });
    const registry = new ConnectorRegistry([rest]).register(sap);
    expect(registry.get('generic-rest')).toBe(rest);
    expect(registry.get('sap-odata-v2')).toBe(sap);
    expect(registry.get('other')).toBeUndefined();
    expect(registry.list()).toEqual([rest, sap]);
    expect(registry.specFor(config({ adapter: 'sap-odata-v2' }))).toBe(sap);
  });

  it('refuses to register an adapter name twice and keeps the first', () => {
    const first = spec();
    const registry = new ConnectorRegistry([first]);
    const error = thrown(() => registry.register(spec({ description: 'second' })));
    expect(error).toBeInstanceOf(ThreadlineError);
    expect(error).toMatchObject({
      code: 'CONFIGURATION_INVALID',
      message: "connector adapter 'generic-rest' is registered twice",
    });
    expect(registry.get('generic-rest')).toBe(first);
    expect(() => new ConnectorRegistry([spec(), spec()])).toThrow(/registered twice/);
  });

  it('throws from specFor when the configuration names an unknown adapter', () => {
    const error = thrown(() =>
      new ConnectorRegistry([spec()]).specFor(config({ adapter: 'odata-v4' })),
    );
    expect(error).toBeInstanceOf(ThreadlineError);
    expect(error).toMatchObject({
      code: 'CONFIGURATION_INVALID',
      message: "connector erp-main: unknown adapter 'odata-v4'",
    });
  });
});

describe('ConnectorRegistry.rules', () => {
  const registry = new ConnectorRegistry([
    spec({ adapter: 'sap-odata-v2' }),
    spec(),
    spec({ adapter: 'mes-rest', system: 'mes', commands: {}, events: [] }),
  ]);
  const check = (settings: Partial<ConnectorConfig['spec']>) =>
    checkConfigRules(config(settings), registry.rules());

  it('is one rule named adapter-capabilities that passes a configuration the adapter supports', () => {
    expect(registry.rules().map((rule) => rule.name)).toEqual(['adapter-capabilities']);
    expect(
      check({
        outbound: { commands: [command('erp.inventory.hold.place')] },
        inbound: {
          polling: [polling('material.lot.received')],
          webhooks: [webhook('shipment.dispatched')],
        },
      }),
    ).toEqual([]);
  });

  it('reports an unknown adapter at spec.adapter, listing the known ones sorted, and nothing else', () => {
    expect(
      check({ adapter: 'odata-v4', system: 'qms', outbound: { commands: [command('x')] } }),
    ).toEqual([
      {
        path: ['spec', 'adapter'],
        rule: 'unknown adapter; known adapters: generic-rest, mes-rest, sap-odata-v2',
      },
    ]);
  });

  it('reports a system the adapter does not connect', () => {
    expect(check({ system: 'mes' })).toEqual([
      { path: ['spec', 'system'], rule: 'adapter generic-rest connects a erp system, not mes' },
    ]);
  });

  it('reports each command the adapter does not execute at its index', () => {
    expect(
      check({
        outbound: {
          commands: [
            command('erp.inventory.hold.place'),
            command('erp.inventory.hold.release'),
            command('mes.line.stop'),
          ],
        },
      }),
    ).toEqual([
      {
        path: ['spec', 'outbound', 'commands', 1, 'type'],
        rule: 'adapter generic-rest executes erp.inventory.hold.place',
      },
      {
        path: ['spec', 'outbound', 'commands', 2, 'type'],
        rule: 'adapter generic-rest executes erp.inventory.hold.place',
      },
    ]);
  });

  it('reports event types the adapter does not produce, for polling and webhooks alike', () => {
    expect(
      check({
        inbound: {
          polling: [polling('material.lot.received'), polling('quality.nonconformance.raised')],
          webhooks: [webhook('equipment.alarm.raised'), webhook('shipment.dispatched')],
        },
      }),
    ).toEqual([
      {
        path: ['spec', 'inbound', 'polling', 1, 'eventType'],
        rule: 'adapter generic-rest produces material.lot.received, shipment.dispatched',
      },
      {
        path: ['spec', 'inbound', 'webhooks', 0, 'eventType'],
        rule: 'adapter generic-rest produces material.lot.received, shipment.dispatched',
      },
    ]);
  });

  it('reports every problem of checkOptions at spec.options, with the options given', () => {
    const seen: Record<string, unknown>[] = [];
    const strict = new ConnectorRegistry([
      spec({
        checkOptions: (options) => {
          seen.push(options);
          return ['paging must be an object', 'tenant is not an option'];
        },
      }),
    ]);
    const options = { paging: 'cursor', tenant: 'x' };
    expect(checkConfigRules(config({ options }), strict.rules())).toEqual([
      { path: ['spec', 'options'], rule: 'paging must be an object' },
      { path: ['spec', 'options'], rule: 'tenant is not an option' },
    ]);
    expect(seen).toEqual([options]);
  });

  it('gives checkOptions an empty object when the configuration has no options', () => {
    const seen: Record<string, unknown>[] = [];
    const strict = new ConnectorRegistry([
      spec({
        checkOptions: (options) => {
          seen.push(options);
          return [];
        },
      }),
    ]);
    expect(checkConfigRules(config(), strict.rules())).toEqual([]);
    expect(seen).toEqual([{}]);
  });

  it('reports all problems of one configuration at once', () => {
    const problems = check({
      system: 'qms',
      outbound: { commands: [command('qms.nonconformance.create')] },
      inbound: { polling: [polling('equipment.alarm.raised')] },
    });
    expect(problems.map((problem) => problem.path.join('.'))).toEqual([
      'spec.system',
      'spec.outbound.commands.0.type',
      'spec.inbound.polling.0.eventType',
    ]);
  });
});
