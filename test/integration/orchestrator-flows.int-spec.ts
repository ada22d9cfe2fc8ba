import { AuditLog } from '@threadline/audit';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildEnvelope, type CanonicalDataMap } from '@threadline/contracts';

type KnownType = keyof CanonicalDataMap;
import { withTransaction } from '@threadline/messaging';
import {
  createDataSource,
  FlowInstance,
  FlowStep,
  initializeDatabase,
} from '@threadline/persistence';
import type { CloudEventEnvelope } from '@threadline/schema-registry';
import { createTestDatabase, type TestDatabase } from '@threadline/testing';
import type { DataSource } from 'typeorm';
import { parse } from 'yaml';
import { orchestratorConfig } from '../../apps/orchestrator/src/config/orchestrator-config';
import { command, defineFlow } from '../../apps/orchestrator/src/engine/flow-definition';
import { FlowEngine } from '../../apps/orchestrator/src/engine/flow-engine';
import { FlowStore } from '../../apps/orchestrator/src/engine/flow-store';
import { FLOWS } from '../../apps/orchestrator/src/flows';
import { TEST_ORCHESTRATOR_CONFIG } from '../support/plant-harness';

const PLANT = 'P01';
const ALICE = { id: 'alice', kind: 'user', name: 'Alice (QA inspector)' } as const;
const BOB = { id: 'bob', kind: 'user', name: 'Bob (QA lead)' } as const;

/** A test-only saga to show compensation: hold, then a work order; the work order can fail. */
const holdThenWorkOrder = defineFlow<{ lotId: string; holdId?: string }, unknown>({
  type: 'test-saga',
  triggers: [
    {
      event: 'customer.complaint.received',
      start: (event) => {
        const lotId = (event.data as { lotId?: string }).lotId;
        return lotId ? { subject: event.subject, context: { lotId } } : undefined;
      },
    },
  ],
  steps: [
    {
      name: 'hold',
      send: (flow) => [
        command('erp.inventory.hold.place', flow.lotId, {
          lotIds: [flow.lotId],
          reason: 'complaint',
          requestedBy: ALICE,
        }),
      ],
      answered: (_, [placed]) => ({ holdId: (placed.data as { holdId: string }).holdId }),
      compensate: (flow) => [
        command('erp.inventory.hold.release', flow.holdId!, {
          holdId: flow.holdId!,
          approvedBy: ALICE,
          reason: 'saga compensated',
        }),
      ],
    },
    {
      name: 'work-order',
      send: () => [
        command('cmms.workorder.create', 'PRESS-01', {
          assetId: 'PRESS-01',
          priority: 'high',
          kind: 'corrective',
          description: 'complaint follow-up',
        }),
      ],
      retries: () => 1,
    },
  ],
});

/**
 * The flows' decisions, driven event by event through the engine on a real database (each call
 * one transaction, as the consumer and the timer poller run it): segregation of duties,
 * deadlines with escalation and re-sending, failure with compensation, the other three flows,
 * duplicates and early events. The full path through broker and connectors is
 * orchestrator-plant.int-spec.ts.
 */
describe.each(['postgres', 'sqlite'] as const)('orchestrator flows (%s)', (driver) => {
  let dataSource: DataSource;
  let database: TestDatabase | undefined;
  let directory: string | undefined;
  const config = orchestratorConfig(parse(TEST_ORCHESTRATOR_CONFIG) as never);
  const engine = new FlowEngine([...FLOWS, holdThenWorkOrder], (_, plant) => config.plant(plant));
  let clock = Date.parse('2026-12-01T08:00:00Z');

  beforeAll(async () => {
    if (driver === 'postgres') {
      database = await createTestDatabase('threadline_flows');
      dataSource = createDataSource({ url: database.url });
    } else {
      directory = mkdtempSync(join(tmpdir(), 'threadline-flows-'));
      dataSource = createDataSource({ sqlitePath: join(directory, 'flows.sqlite') });
    }
    await initializeDatabase(dataSource);
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
    if (directory) rmSync(directory, { recursive: true, force: true });
  });

  /** Delivers one event; answers what the flows published in its transaction. */
  async function deliver(event: CloudEventEnvelope): Promise<CloudEventEnvelope[]> {
    clock += 1_000;
    const out: CloudEventEnvelope[] = [];
    await withTransaction(dataSource, (runner) =>
      engine.onEvent(
        event,
        runner.manager,
        (message) => Promise.resolve(void out.push(message)),
        new Date(clock),
      ),
    );
    return out;
  }

  /** Moves the clock on and fires the timers then due; answers what the flow of `trigger` sent. */
  async function elapse(
    seconds: number,
    trigger: CloudEventEnvelope,
  ): Promise<CloudEventEnvelope[]> {
    clock += seconds * 1_000;
    const now = new Date(clock);
    const out: CloudEventEnvelope[] = [];
    const due = await withTransaction(dataSource, (runner) =>
      new FlowStore(runner.manager).due(now, 100),
    );
    for (const timer of due) {
      await withTransaction(dataSource, async (runner) => {
        if (await new FlowStore(runner.manager).fire(timer, now)) {
          await engine.onTimer(
            timer,
            runner.manager,
            (message) => Promise.resolve(void out.push(message)),
            now,
          );
        }
      });
    }
    return out.filter((message) => message.correlationid === trigger.correlationid);
  }

  function fact<T extends KnownType>(
    type: T,
    subject: string,
    data: CanonicalDataMap[T],
    cause?: CloudEventEnvelope,
  ): CloudEventEnvelope {
    const input = {
      type,
      subject,
      source: { plant: PLANT, system: 'test', connectorId: 'test' },
      fact: { key: `test:${randomUUID()}` },
      ...(cause ? { cause } : {}),
      data,
    } as unknown as Parameters<typeof buildEnvelope>[0];
    return buildEnvelope(input) as unknown as CloudEventEnvelope;
  }

  const holdPlaced = (cmd: CloudEventEnvelope, holdId: string) => {
    const data = cmd.data as unknown as CanonicalDataMap['erp.inventory.hold.place'];
    return fact(
      'inventory.hold.placed',
      holdId,
      {
        holdId,
        lotIds: data.lotIds,
        reason: data.reason,
        placedAt: new Date(clock).toISOString(),
        ...(data.ncrId ? { ncrId: data.ncrId } : {}),
        placedBy: data.requestedBy,
      },
      cmd,
    );
  };

  const raised = (
    ncrId: string,
    over: Partial<CanonicalDataMap['quality.nonconformance.raised']> = {},
  ) =>
    fact('quality.nonconformance.raised', ncrId, {
      ncrId,
      severity: 'major',
      lotIds: [`LOT-${ncrId}`],
      defectCode: 'DIM-OOT',
      description: 'bore too wide',
      detectedAt: new Date(clock).toISOString(),
      detectedBy: ALICE,
      ...over,
    });

  const dispositioned = (
    ncrId: string,
    disposition: 'release' | 'scrap',
    approvedBy: typeof ALICE | typeof BOB,
  ) =>
    fact('quality.nonconformance.dispositioned', ncrId, {
      ncrId,
      disposition,
      approvedBy,
      reason: 'reviewed',
      dispositionedAt: new Date(clock).toISOString(),
    });

  async function view(type: string, subject: string) {
    const flow = await dataSource.manager.findOneOrFail(FlowInstance, { where: { type, subject } });
    const steps = await dataSource.manager.find(FlowStep, {
      where: { flowId: flow.id },
      order: { seq: 'ASC' },
    });
    return { flow, steps, timeline: steps.map((step) => `${step.name}:${step.state}`) };
  }

  const ofType = (events: CloudEventEnvelope[], type: string) =>
    events.filter((e) => e.type === type);

  it('refuses a release approved by whoever requested the hold, then takes one from someone else', async () => {
    const nc = raised('NCR-SOD');
    const [hold] = ofType(await deliver(nc), 'erp.inventory.hold.place');
    expect(hold).toMatchObject({
      subject: 'NCR-SOD',
      data: { requestedBy: ALICE, lotIds: ['LOT-NCR-SOD'] },
    });
    const placed = holdPlaced(hold, 'H-SOD');
    expect(await deliver(placed)).toEqual([]);

    const byAlice = dispositioned('NCR-SOD', 'release', ALICE);
    const refused = await deliver(byAlice);
    expect(ofType(refused, 'erp.inventory.hold.release')).toEqual([]);
    expect(ofType(refused, 'flow.escalated')[0].data).toMatchObject({
      flowType: 'ncr-containment',
      step: 'disposition',
      reason: expect.stringContaining('segregation of duties: alice') as string,
    });
    expect((await view('ncr-containment', 'NCR-SOD')).flow.state).toBe('escalated');

    const byBob = dispositioned('NCR-SOD', 'release', BOB);
    const released = ofType(await deliver(byBob), 'erp.inventory.hold.release');
    expect(released.map((e) => e.data)).toEqual([
      { holdId: 'H-SOD', approvedBy: BOB, reason: 'release of NCR-SOD: reviewed' },
    ]);
    await deliver(
      fact(
        'inventory.hold.released',
        'H-SOD',
        {
          holdId: 'H-SOD',
          lotIds: ['LOT-NCR-SOD'],
          releasedAt: new Date(clock).toISOString(),
          releasedBy: BOB,
        },
        released[0],
      ),
    );
    const done = await view('ncr-containment', 'NCR-SOD');
    expect(done.flow.state).toBe('completed');
    expect(done.timeline).toEqual([
      'flow:started',
      'hold:sent',
      'hold:answered',
      'hold:done',
      'work-order:skipped',
      'line-stop:skipped',
      'maintenance:skipped',
      'disposition:waiting',
      'disposition:refused',
      'disposition:escalated',
      'disposition:done',
      'release:sent',
      'release:answered',
      'release:done',
      'line-resume:skipped',
      'flow:completed',
    ]);

    // Each decision in the audit log, written with it: who, why, the causing event.
    const flowId = done.flow.id;
    const audit = await AuditLog.query(dataSource, { limit: 1000 });
    const ofFlow = audit.filter((entry) => entry.detail?.flowId === flowId);
    expect(
      ofFlow.map((entry) => [entry.action, entry.actor, entry.subject, entry.causeEventId]),
    ).toEqual([
      ['hold.requested', { id: 'alice', kind: 'user' }, 'NCR-SOD', nc.id],
      ['hold.placed', { id: 'alice', kind: 'user' }, 'H-SOD', placed.id],
      ['disposition.refused', { id: 'alice', kind: 'user' }, 'NCR-SOD', byAlice.id],
      ['disposition.recorded', { id: 'bob', kind: 'user' }, 'NCR-SOD', byBob.id],
      ['hold.released', { id: 'bob', kind: 'user' }, 'H-SOD', byBob.id],
    ]);
    expect(ofFlow[0].detail).toMatchObject({
      command: 'erp.inventory.hold.place',
      commandId: hold.id,
    });
    expect(ofFlow[2].reason).toContain('segregation of duties: alice');
    expect(ofFlow[3]).toMatchObject({ reason: 'reviewed', detail: { disposition: 'release' } });
    expect(ofFlow[4]).toMatchObject({
      reason: 'reviewed',
      detail: {
        command: 'erp.inventory.hold.release',
        commandId: released[0].id,
        ncrId: 'NCR-SOD',
      },
    });
    expect(await AuditLog.verify(dataSource)).toMatchObject({ ok: true });
  });

  it('keeps the hold on scrap and records the outcome; one flow however often the NC comes', async () => {
    const nc = raised('NCR-SCRAP', { severity: 'critical', assetId: 'PRESS-01' });
    const first = await deliver(nc);
    expect(await deliver({ ...nc, id: randomUUID(), idempotencykey: 'qms:again' })).toEqual([]);
    expect(await dataSource.manager.count(FlowInstance, { where: { subject: 'NCR-SCRAP' } })).toBe(
      1,
    );
    const afterHold = await deliver(
      holdPlaced(ofType(first, 'erp.inventory.hold.place')[0], 'H-SCRAP'),
    );
    const [create] = ofType(afterHold, 'cmms.workorder.create');
    expect(create.data).toMatchObject({
      assetId: 'PRESS-01',
      priority: 'emergency',
      kind: 'emergency',
    });
    // The disposition comes before the work order is done: kept until the flow gets there.
    expect(await deliver(dispositioned('NCR-SCRAP', 'scrap', BOB))).toEqual([]);
    const stop = ofType(
      await deliver(
        fact(
          'maintenance.workorder.created',
          'WO-1',
          {
            workOrderId: 'WO-1',
            assetId: 'PRESS-01',
            priority: 'emergency',
            kind: 'emergency',
            createdAt: new Date(clock).toISOString(),
          },
          create,
        ),
      ),
      'mes.line.stop',
    );
    expect(stop.map((e) => e.data)).toEqual([
      { lineId: 'LINE-1', reason: 'critical nonconformance NCR-SCRAP', ncrId: 'NCR-SCRAP' },
    ]);
    await deliver(
      fact(
        'equipment.downtime.started',
        'PRESS-01',
        {
          assetId: 'PRESS-01',
          reasonCode: 'NC-STOP',
          startedAt: new Date(clock).toISOString(),
        },
        stop[0],
      ),
    );
    const last = await deliver(
      fact('maintenance.workorder.completed', 'WO-1', {
        workOrderId: 'WO-1',
        assetId: 'PRESS-01',
        completedAt: new Date(clock).toISOString(),
      }),
    );
    expect(ofType(last, 'erp.inventory.hold.release')).toEqual([]);
    expect(ofType(last, 'mes.line.resume')).toEqual([]);
    const done = await view('ncr-containment', 'NCR-SCRAP');
    expect(done.flow.state).toBe('completed');
    expect(done.flow.context).toMatchObject({
      data: { disposition: 'scrap', holdIds: ['H-SCRAP'] },
    });
    expect(done.timeline.slice(-4)).toEqual([
      'disposition:done',
      'release:skipped',
      'line-resume:skipped',
      'flow:completed',
    ]);
  });

  it('escalates a hold without an answer in time, asks again with the same key, and goes on when the answer comes', async () => {
    const nc = raised('NCR-SLOW');
    const [hold] = ofType(await deliver(nc), 'erp.inventory.hold.place');
    expect(await elapse(1, nc)).toEqual([]);
    const late = await elapse(3, nc);
    const [escalated] = ofType(late, 'flow.escalated');
    expect(escalated.data).toMatchObject({
      step: 'hold',
      reason: 'no answer within 3 s (attempt 1)',
    });
    const [again] = ofType(late, 'erp.inventory.hold.place');
    expect(again.idempotencykey).toBe(hold.idempotencykey);
    expect(again.id).not.toBe(hold.id);
    expect(again.correlationid).toBe(hold.correlationid);
    expect((await view('ncr-containment', 'NCR-SLOW')).flow.state).toBe('escalated');
    // The first send's answer arrives (the ERP was slow, not lost): the flow goes on.
    await deliver(holdPlaced(hold, 'H-SLOW'));
    const flow = await view('ncr-containment', 'NCR-SLOW');
    expect(flow.flow).toMatchObject({ state: 'running', currentStep: 'disposition' });
    expect(await elapse(10, nc)).toEqual([]); // the second attempt's deadline is stale now
  });

  it('undoes earlier steps when a later one fails for good, then ends failed and escalated', async () => {
    const [hold] = ofType(
      await deliver(
        fact('customer.complaint.received', 'CMP-1', {
          complaintId: 'CMP-1',
          customerId: 'C-9',
          receivedAt: new Date(clock).toISOString(),
          description: 'rattles',
          lotId: 'LOT-CMP',
        }),
      ),
      'erp.inventory.hold.place',
    );
    const [create] = ofType(await deliver(holdPlaced(hold, 'H-CMP')), 'cmms.workorder.create');
    const failed = (cmd: CloudEventEnvelope) =>
      fact(
        'integration.command.failed',
        cmd.id,
        {
          commandId: cmd.id,
          commandType: cmd.type,
          targetSystem: 'CMMS',
          error: 'asset unknown',
          attempts: 3,
          failedAt: new Date(clock).toISOString(),
        },
        cmd, // as the connector sends it: caused by the command, yet a failure, not an answer
      );
    const [retry] = ofType(await deliver(failed(create)), 'cmms.workorder.create');
    expect(retry.idempotencykey).toBe(create.idempotencykey);
    const end = await deliver(failed(retry));
    expect(ofType(end, 'erp.inventory.hold.release').map((e) => e.data)).toEqual([
      { holdId: 'H-CMP', approvedBy: ALICE, reason: 'saga compensated' },
    ]);
    expect(ofType(end, 'flow.escalated')[0].data).toMatchObject({
      step: 'work-order',
      reason: 'cmms.workorder.create failed: asset unknown',
    });
    const flow = await view('test-saga', 'CMP-1');
    expect(flow.flow.state).toBe('failed');
    expect(flow.timeline.slice(-5)).toEqual([
      'work-order:resent',
      'work-order:failed',
      'hold:compensated',
      'work-order:escalated',
      'flow:failed',
    ]);
  });

  it('inspects received lots of listed materials: a pass releases, a fail opens a supplier NC', async () => {
    const receive = (lotId: string, materialId: string) =>
      fact('material.lot.received', lotId, {
        lotId,
        materialId,
        supplierId: 'SUP-1',
        supplierLotId: `S-${lotId}`,
        purchaseOrderId: 'PO-1',
        quantity: { value: 10, uom: 'KG' },
        receivedAt: new Date(clock).toISOString(),
      });
    expect(await deliver(receive('LOT-UNLISTED', 'MAT-999'))).toEqual([]);
    for (const [lotId, result] of [
      ['LOT-GOOD', 'pass'],
      ['LOT-BAD', 'fail'],
    ] as const) {
      const [hold] = ofType(await deliver(receive(lotId, 'MAT-100')), 'erp.inventory.hold.place');
      const [lot] = ofType(
        await deliver(holdPlaced(hold, `H-${lotId}`)),
        'qms.inspection.lot.create',
      );
      expect(lot.data).toEqual({ lotId, origin: 'receipt' });
      await deliver(
        fact(
          'quality.inspection.lot.created',
          `IL-${lotId}`,
          {
            inspectionLotId: `IL-${lotId}`,
            lotId,
            origin: 'receipt',
            createdAt: new Date(clock).toISOString(),
          },
          lot,
        ),
      );
      const outcome = await deliver(
        fact('quality.inspection.result.recorded', lotId, {
          inspectionLotId: `IL-${lotId}`,
          lotId,
          result,
          measurements: [{ characteristic: 'tensile', value: 5, unit: 'MPa', lsl: 4 }],
          inspectedAt: new Date(clock).toISOString(),
          inspector: BOB,
        }),
      );
      if (result === 'pass') {
        expect(outcome.map((e) => e.type)).toEqual(['erp.inventory.hold.release']);
        expect(outcome[0].data).toMatchObject({ holdId: 'H-LOT-GOOD', approvedBy: BOB });
      } else {
        expect(outcome.map((e) => e.type)).toEqual(['qms.nonconformance.create']);
        expect(outcome[0].data).toMatchObject({
          lotIds: ['LOT-BAD'],
          severity: 'major',
          defectCode: 'INCOMING-INSPECTION-FAILED',
        });
      }
    }
    expect(
      await dataSource.manager.count(FlowInstance, { where: { type: 'incoming-inspection' } }),
    ).toBe(2);
  });

  it('asks for a work order after an unplanned downtime outlasts the threshold, unless it ends or one is open', async () => {
    const down = (assetId: string, reasonCode: string) =>
      fact('equipment.downtime.started', assetId, {
        assetId,
        reasonCode,
        startedAt: new Date(clock).toISOString(),
      });
    expect(await deliver(down('WELD-02', 'PLANNED'))).toEqual([]);
    // Ends within the threshold (0.02 min = 1.2 s): nothing to do.
    const short = down('WELD-02', 'JAM');
    await deliver(short);
    await deliver(
      fact('equipment.downtime.ended', 'WELD-02', {
        assetId: 'WELD-02',
        endedAt: new Date(clock).toISOString(),
      }),
    );
    expect(await elapse(5, short)).toEqual([]);
    // Outlasts it: one work order.
    const long = down('MIXER-01', 'JAM');
    await deliver(long);
    const [create] = ofType(await elapse(2, long), 'cmms.workorder.create');
    expect(create.data).toMatchObject({
      assetId: 'MIXER-01',
      priority: 'high',
      kind: 'corrective',
    });
    await deliver(
      fact(
        'maintenance.workorder.created',
        'WO-M1',
        {
          workOrderId: 'WO-M1',
          assetId: 'MIXER-01',
          priority: 'high',
          kind: 'corrective',
          createdAt: new Date(clock).toISOString(),
        },
        create,
      ),
    );
    // A critical alarm on the same asset while that work order is open: none more.
    await deliver(
      fact('equipment.alarm.raised', 'MIXER-01', {
        assetId: 'MIXER-01',
        alarmCode: 'TEMP-HIGH',
        severity: 'critical',
        raisedAt: new Date(clock).toISOString(),
      }),
    );
    const flows = await dataSource.manager.find(FlowInstance, {
      where: { type: 'equipment-maintenance' },
      order: { startedAt: 'ASC' },
    });
    expect(flows.map((flow) => flow.state)).toEqual(['completed', 'completed', 'completed']);
    const alarm = await view('equipment-maintenance', flows[2].subject);
    expect(alarm.timeline).toEqual([
      'flow:started',
      'threshold:skipped',
      'work-order:skipped',
      'flow:completed',
    ]);
    // Once it is completed, a critical alarm gets an emergency work order at once.
    await deliver(
      fact('maintenance.workorder.completed', 'WO-M1', {
        workOrderId: 'WO-M1',
        assetId: 'MIXER-01',
        completedAt: new Date(clock).toISOString(),
      }),
    );
    const next = await deliver(
      fact('equipment.alarm.raised', 'MIXER-01', {
        assetId: 'MIXER-01',
        alarmCode: 'TEMP-HIGH',
        severity: 'critical',
        raisedAt: new Date(clock + 1).toISOString(),
      }),
    );
    expect(ofType(next, 'cmms.workorder.create')[0].data).toMatchObject({ priority: 'emergency' });
  });

  it('opens an NC for a failed in-process inspection, not for a receipt inspection', async () => {
    const result = (inspectionLotId: string, extra: object) =>
      fact('quality.inspection.result.recorded', 'LOT-IP', {
        inspectionLotId,
        lotId: 'LOT-IP',
        result: 'fail',
        measurements: [{ characteristic: 'torque', value: 7.1, unit: 'Nm', lsl: 8, usl: 12 }],
        inspectedAt: new Date(clock).toISOString(),
        ...extra,
      });
    expect(await deliver(result('IL-RECEIPT', {}))).toEqual([]);
    const [create] = ofType(
      await deliver(result('IL-INPROC', { assetId: 'PRESS-01', orderId: '1000001' })),
      'qms.nonconformance.create',
    );
    expect(create.data).toMatchObject({
      severity: 'major',
      lotIds: ['LOT-IP'],
      assetId: 'PRESS-01',
      defectCode: 'IN-PROCESS-INSPECTION-FAILED',
      description: 'In-process inspection IL-INPROC of lot LOT-IP failed: torque 7.1 Nm',
    });
  });
});
