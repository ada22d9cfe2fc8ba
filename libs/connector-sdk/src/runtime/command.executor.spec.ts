import { PermanentError, TransientError } from '@threadline/core';
import { buildEnvelope, type CloudEvent } from '@threadline/contracts';
import { MetricsRegistry } from '@threadline/observability';
import { SchemaRegistry } from '@threadline/schema-registry';
import type { CommandBinding, ConnectorConfig } from '../config/connector-config.types';
import { CommandExecutor } from './command.executor';
import type { ConnectorSpec } from './connector-spec.types';
import { ScriptedAdapter } from './scripted.adapter';

const registry = SchemaRegistry.fromDirectory();
const NOW = new Date('2026-05-14T08:30:00.000Z');
const INVALID_TOTAL = 'threadline_mapping_output_invalid_total';

const SPEC: ConnectorSpec = {
  adapter: 'generic-rest',
  system: 'erp',
  description: 'test ERP',
  commands: {
    'erp.inventory.hold.place': 'inventory.hold.placed',
    'erp.inventory.hold.release': 'inventory.hold.released',
  },
  events: [],
  retry: { maxAttempts: 1, initialDelayMs: 0, maxDelayMs: 0 },
  circuitBreaker: { failureThreshold: 5, openSeconds: 30 },
  probePath: '/',
  create: () => {
    throw new Error('unexpected call: create');
  },
};

/** `{command, response, status}` -> inventory.hold.placed data. */
const PLACED_RESULT = `{
  "holdId": response.HoldId,
  "lotIds": command.data.lotIds,
  "reason": command.data.reason,
  "placedAt": response.CreatedAt,
  "ncrId": command.data.ncrId
}`;

function holdPlaceBinding(result = PLACED_RESULT): CommandBinding {
  return {
    type: 'erp.inventory.hold.place',
    request: { method: 'POST', path: '/holds' },
    mapping: { expression: '{ "Batches": data.lotIds, "Reference": idempotencykey }' },
    result: { expression: result },
    idempotency: 'external-reference',
  };
}

function config(commands: CommandBinding[]): ConnectorConfig {
  return {
    apiVersion: 'threadline/v1',
    kind: 'Connector',
    metadata: { name: 'erp-main', plant: 'PLANT-01' },
    spec: {
      system: 'erp',
      adapter: 'generic-rest',
      target: { baseUrl: 'http://erp.local', timeoutMs: 1000 },
      outbound: { commands },
    },
  };
}

/** A hold.place command caused by an NCR flow, so its correlation id differs from its id. */
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
    source: { plant: 'PLANT-01', system: 'threadline', connectorId: 'orchestrator' },
    fact: { key: 'orchestrator:NC-1:hold-place' },
    cause: { id: 'flow-step-1', correlationid: 'corr-ncr-1' },
  });
}

/** The error `promise` rejects with; fails the test when it resolves. */
async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

const placed = () => ({
  status: 201,
  response: { HoldId: 'HOLD-7', CreatedAt: '2026-05-14T10:30:02+02:00' },
});

describe('CommandExecutor', () => {
  let adapter: ScriptedAdapter;
  let metrics: MetricsRegistry;

  beforeEach(() => {
    adapter = new ScriptedAdapter();
    metrics = new MetricsRegistry({ collectProcessMetrics: false });
  });

  afterEach(() => adapter.verify());

  function executor(commands: CommandBinding[] = [holdPlaceBinding()]): CommandExecutor {
    return new CommandExecutor({
      config: config(commands),
      spec: SPEC,
      adapter,
      registry,
      metrics,
      now: () => NOW,
    });
  }

  it('lists the configured command types', () => {
    expect(executor().commandTypes()).toEqual(['erp.inventory.hold.place']);
  });

  it("answers with the spec's success event, caused by the command and valid against its schema", async () => {
    adapter.onExecute(placed);
    const command = holdPlace();

    const event = await executor().execute(command);

    expect(event).toMatchObject({
      type: 'inventory.hold.placed',
      dataschema: 'urn:threadline:schema:inventory.hold.placed:1',
      causationid: command.id,
      correlationid: 'corr-ncr-1',
      source: '/plants/PLANT-01/erp/erp-main',
      plant: 'PLANT-01',
      idempotencykey: 'orchestrator:NC-1:hold-place:done',
      subject: 'HOLD-7',
      time: NOW.toISOString(),
    });
    expect(event.id).not.toBe(command.id);
    expect(event.data).toEqual({
      holdId: 'HOLD-7',
      lotIds: ['LOT-1', 'LOT-2'],
      reason: 'nonconformance NC-1',
      placedAt: '2026-05-14T10:30:02+02:00',
      ncrId: 'NC-1',
    });
    expect(registry.validate(event).valid).toBe(true);
  });

  it('hands the adapter the command, its binding and the mapped vendor request', async () => {
    adapter.onExecute(placed);
    const command = holdPlace();
    await executor().execute(command);
    expect(adapter.executed).toHaveLength(1);
    const [request] = adapter.executed;
    expect(request.command).toBe(command);
    expect(request.binding).toEqual(holdPlaceBinding());
    expect(request.request).toStrictEqual({
      method: 'POST',
      path: '/holds',
      body: { Batches: ['LOT-1', 'LOT-2'], Reference: 'orchestrator:NC-1:hold-place' },
    });
  });

  it('answers a command executed twice with the same fact: same idempotency key, new id', async () => {
    adapter.onExecute(placed, placed);
    const command = holdPlace();
    const running = executor();
    const first = await running.execute(command);
    const second = await running.execute(command);
    expect(second.idempotencykey).toBe('orchestrator:NC-1:hold-place:done');
    expect(second.idempotencykey).toBe(first.idempotencykey);
    expect(second.id).not.toBe(first.id);
  });

  it('keys the answer as the fact itself when the binding has an identity', async () => {
    adapter.onExecute(placed, placed);
    const binding = { ...holdPlaceBinding(), identity: { fact: 'placed' } };
    const answer = await executor([binding]).execute(holdPlace());
    expect(answer.idempotencykey).toBe('erp:HOLD-7:placed');
    const withObjectId = {
      ...binding,
      identity: { fact: 'placed', objectId: 'ncrId & "-" & holdId' },
    };
    expect((await executor([withObjectId]).execute(holdPlace())).idempotencykey).toBe(
      'erp:NC-1-HOLD-7:placed',
    );
  });

  it('refuses an identity that gives no object id: PermanentError, nothing published', async () => {
    adapter.onExecute(placed);
    const binding = { ...holdPlaceBinding(), identity: { fact: 'placed', objectId: 'missing' } };
    const error = await rejection(executor([binding]).execute(holdPlace()));
    expect(error).toBeInstanceOf(PermanentError);
    expect(error.message).toContain('identity.objectId gives no id');
  });

  it('keeps a success key within the envelope limit for a command with a long key', async () => {
    adapter.onExecute(placed);
    const key = `orchestrator:${'x'.repeat(250)}:hold-place`;
    const event = await executor().execute({ ...holdPlace(), idempotencykey: key });
    expect(event.idempotencykey).toBe(`${key.slice(0, 240)}:done`);
    expect(registry.validate(event).valid).toBe(true);
  });

  it('refuses output the schema rejects: PermanentError naming the field, counted', async () => {
    adapter.onExecute(() => ({
      status: 201,
      response: { HoldId: 'HOLD-7', CreatedAt: 'yesterday' },
    }));

    const error = await rejection(executor().execute(holdPlace()));

    expect(error).toBeInstanceOf(PermanentError);
    expect(error.message).toMatch(
      /^mapping erp-main\/erp\.inventory\.hold\.place result made an invalid inventory\.hold\.placed \(the target has acted; fix the mapping and re-drive\): /,
    );
    expect(error.message).toMatch(/\/data\/placedAt /);
    expect(await metrics.text()).toContain(
      `${INVALID_TOTAL}{connector="erp-main",type="inventory.hold.placed"} 1`,
    );
  });

  it('names a missing required field in the error', async () => {
    adapter.onExecute(() => ({ status: 201, response: { HoldId: 'HOLD-7' } }));
    await expect(executor().execute(holdPlace())).rejects.toThrow(/placedAt/);
    expect(await metrics.text()).toContain(
      `${INVALID_TOTAL}{connector="erp-main",type="inventory.hold.placed"} 1`,
    );
  });

  it('refuses a command type it has no binding for, without calling the target', async () => {
    const release = { ...holdPlace(), type: 'erp.inventory.hold.release' };
    const error = await rejection(executor().execute(release));
    expect(error).toBeInstanceOf(PermanentError);
    expect(error.message).toBe(
      'connector erp-main has no outbound binding for erp.inventory.hold.release',
    );
    expect(adapter.executed).toEqual([]);
  });

  it("passes the adapter's TransientError on unchanged, so the command is retried", async () => {
    const busy = new TransientError('POST /holds answered 503');
    adapter.onExecute(() => Promise.reject(busy));
    const error = await rejection(executor().execute(holdPlace()));
    expect(error).toBe(busy);
    expect(busy.retryable).toBe(true);
    expect(await metrics.text()).not.toContain(`${INVALID_TOTAL}{`);
  });

  it('refuses a command whose mapping cannot make a request, before calling the target', async () => {
    const binding = { ...holdPlaceBinding(), mapping: { expression: '"not a body"' } };
    await expect(executor([binding]).execute(holdPlace())).rejects.toThrow(PermanentError);
    expect(adapter.executed).toEqual([]);
  });
});
