import { appendAudit } from '@threadline/audit';
import { buildEnvelope, type Cause } from '@threadline/contracts';
import type { CloudEventEnvelope } from '@threadline/schema-registry';
import type { EntityManager } from 'typeorm';
import { OpenWorkOrder, type FlowTimer } from '@threadline/persistence';
import { PermanentError } from '@threadline/core';
import type {
  CommandRequest,
  FlowDefinition,
  FlowFacts,
  FlowTrigger,
  StepAudit,
  StepDefinition,
} from './flow-definition';
import { FlowStore, type StoredFlow, type TimelineEntry } from './flow-store';

/** Where a flow's messages go: the outbox of the transaction that changed the flow. */
export type Publish = (event: CloudEventEnvelope) => Promise<void>;

/** What the engine reports as it goes, for metrics and logs. */
export interface FlowObserver {
  started?(flow: StoredFlow): void;
  duplicate?(type: string, subject: string): void;
  escalated?(flow: StoredFlow, step: string, reason: string): void;
  ended?(flow: StoredFlow, now: Date): void;
}

type AnyDefinition = FlowDefinition<any, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
type AnyStep = StepDefinition<any>; // eslint-disable-line @typescript-eslint/no-explicit-any
type AnyTrigger = FlowTrigger<any, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The success event of each command (EVENT-CATALOG §5): the answers flows wait for. */
export const COMMAND_ANSWERS = {
  'erp.inventory.hold.place': 'inventory.hold.placed',
  'erp.inventory.hold.release': 'inventory.hold.released',
  'cmms.workorder.create': 'maintenance.workorder.created',
  'mes.line.stop': 'equipment.downtime.started',
  'mes.line.resume': 'equipment.downtime.ended',
  'qms.nonconformance.create': 'quality.nonconformance.raised',
  'qms.inspection.lot.create': 'quality.inspection.lot.created',
} as const;

const FLOW_SOURCE = { system: 'threadline', connectorId: 'orchestrator' } as const;

/**
 * Runs declared flows on durable state (ADR 0009). Every call works inside one database
 * transaction (a consumed message's, or a fired timer's): it loads the flows concerned, moves
 * them on, writes them back with a version check, and publishes what they send through the same
 * transaction's outbox. So a crash anywhere leaves either all of a move or none of it, and a
 * redelivered message finds the move already made.
 *
 * Flows are found by keys, never by scanning: a command's answer by `answer:{commandId}` (its
 * causationid), its failure by `failed:{commandId}`, an awaited event by `{type}:{subject}`.
 */
export class FlowEngine {
  private readonly definitions: ReadonlyMap<string, AnyDefinition>;
  private readonly triggers: ReadonlyMap<string, { flow: AnyDefinition; trigger: AnyTrigger }[]>;

  constructor(
    definitions: readonly AnyDefinition[],
    private readonly params: (flowType: string, plant: string) => unknown,
    private readonly observer: FlowObserver = {},
  ) {
    this.definitions = new Map(definitions.map((flow) => [flow.type, flow]));
    const triggers = new Map<string, { flow: AnyDefinition; trigger: AnyTrigger }[]>();
    for (const flow of definitions) {
      for (const trigger of flow.triggers) {
        triggers.set(trigger.event, [...(triggers.get(trigger.event) ?? []), { flow, trigger }]);
      }
    }
    this.triggers = triggers;
  }

  /** Every event type a flow starts on or waits for, and the facts the engine keeps. */
  eventTypes(): string[] {
    return eventTypesOf([...this.definitions.values()]);
  }

  /** One consumed event: the flows waiting for it move on, the flows it triggers start. */
  async onEvent(
    event: CloudEventEnvelope,
    manager: EntityManager,
    publish: Publish,
    now = new Date(),
  ): Promise<void> {
    const store = new FlowStore(manager);
    await this.trackWorkOrders(event, manager, now);
    const cause = (flow: StoredFlow): Cause => ({
      id: event.id,
      correlationid: flow.correlationId,
    });
    const delivered = new Set<string>();
    for (const wait of await store.waitingFor(this.matchKeys(event))) {
      // Once per flow and step: an event can match a step by two keys.
      const once = `${wait.flowId}|${wait.step}`;
      if (delivered.has(once)) continue;
      delivered.add(once);
      const flow = await store.load(wait.flowId);
      if (!flow || ended(flow)) continue;
      const run = this.run(flow, store, publish, now, cause(flow), manager);
      await run.deliver(wait.step, wait.matchKey, event);
    }
    for (const { flow: definition, trigger } of this.triggers.get(event.type) ?? []) {
      const start: { subject: string; context: object } | undefined = trigger.start(
        event,
        this.params(definition.type, event.plant),
      );
      if (!start) continue;
      const flow = await store.create({
        type: definition.type,
        subject: start.subject,
        plant: event.plant,
        correlationId: event.correlationid,
        data: start.context,
        lastEventId: event.id,
        now,
      });
      if (!flow) {
        this.observer.duplicate?.(definition.type, start.subject);
        continue;
      }
      this.observer.started?.(flow);
      await this.run(flow, store, publish, now, cause(flow), manager).begin(event);
    }
  }

  /** One due timer (already marked fired in this transaction). */
  async onTimer(
    timer: FlowTimer,
    manager: EntityManager,
    publish: Publish,
    now = new Date(),
  ): Promise<void> {
    const store = new FlowStore(manager);
    const flow = await store.load(timer.flowId);
    if (!flow || ended(flow)) return;
    const cause = { id: flow.engine.lastEventId, correlationid: flow.correlationId };
    await this.run(flow, store, publish, now, cause, manager).elapse(timer);
  }

  /** The keys an event can be awaited by: by subject, as an answer, as a failure, as noted. */
  matchKeys(event: CloudEventEnvelope): string[] {
    const keys = [`${event.type}:${event.subject}`];
    if (event.type === 'integration.command.failed') {
      // It names the command it failed (and has it as its cause): a failure, never an answer.
      keys.push(`failed:${(event.data as { commandId: string }).commandId}`);
    } else if (event.causationid) {
      keys.push(`answer:${event.causationid}`);
    }
    for (const flow of this.definitions.values()) {
      for (const collector of flow.collect ?? []) {
        const key = collector.event === event.type ? collector.key(event) : undefined;
        if (key !== undefined) keys.push(`${collector.name}:${key}`);
      }
    }
    return keys;
  }

  private run(
    flow: StoredFlow,
    store: FlowStore,
    publish: Publish,
    now: Date,
    cause: Cause,
    manager: EntityManager,
  ): FlowRun {
    const definition = this.definitions.get(flow.type);
    if (!definition) throw new PermanentError(`flow ${flow.id} has unknown type '${flow.type}'`);
    const facts: FlowFacts = {
      openWorkOrderFor: async (assetId) =>
        (await manager.findOne(OpenWorkOrder, { where: { assetId }, order: { createdAt: 'ASC' } }))
          ?.workOrderId,
    };
    const audit = (entry: StepAudit) => appendAudit(manager, { ...entry, at: now });
    return new FlowRun(definition, flow, store, publish, now, cause, facts, this.observer, audit);
  }

  /** The work orders open per asset, from the CMMS's facts (for "unless one is open"). */
  private async trackWorkOrders(event: CloudEventEnvelope, manager: EntityManager, now: Date) {
    const data = event.data as { workOrderId?: string; assetId?: string };
    if (event.type === 'maintenance.workorder.created' && data.workOrderId && data.assetId) {
      await manager
        .createQueryBuilder()
        .insert()
        .into(OpenWorkOrder)
        .values({
          workOrderId: data.workOrderId,
          assetId: data.assetId,
          plant: event.plant,
          createdAt: now,
        })
        .orIgnore()
        .execute();
    }
    if (event.type === 'maintenance.workorder.completed' && data.workOrderId) {
      await manager.delete(OpenWorkOrder, { workOrderId: data.workOrderId });
    }
  }
}

/** Every event type these flows start on or wait for, and the facts the engine keeps. */
export function eventTypesOf(definitions: readonly AnyDefinition[]): string[] {
  const types = new Set<string>([
    ...Object.values(COMMAND_ANSWERS),
    'integration.command.failed',
    'maintenance.workorder.created',
    'maintenance.workorder.completed',
  ]);
  for (const flow of definitions) {
    for (const trigger of flow.triggers) types.add(trigger.event);
    for (const step of flow.steps) if (step.await) types.add(step.await.event);
    for (const collector of flow.collect ?? []) types.add(collector.event);
  }
  return [...types].sort();
}

function ended(flow: StoredFlow): boolean {
  return flow.state === 'completed' || flow.state === 'failed';
}

/** One flow moved on within one transaction. */
class FlowRun {
  private readonly data: Record<string, unknown>;

  constructor(
    private readonly definition: AnyDefinition,
    private readonly flow: StoredFlow,
    private readonly store: FlowStore,
    private readonly publish: Publish,
    private readonly now: Date,
    private readonly cause: Cause,
    private readonly facts: FlowFacts,
    private readonly observer: FlowObserver,
    private readonly audit: (entry: StepAudit) => Promise<unknown>,
  ) {
    this.data = flow.data;
    flow.engine.lastEventId = cause.id;
  }

  async begin(trigger: CloudEventEnvelope): Promise<void> {
    this.log({
      name: 'flow',
      state: 'started',
      detail: { trigger: trigger.type, eventId: trigger.id },
    });
    for (const collector of this.definition.collect ?? []) {
      const key = `${collector.name}:${collector.subject(this.data)}`;
      this.store.wait(this.flow.id, `*${collector.name}`, key);
    }
    await this.advance();
    await this.save();
  }

  /** An event some step of this flow waits for. */
  async deliver(stepName: string, matchKey: string, event: CloudEventEnvelope): Promise<void> {
    if (stepName.startsWith('*')) {
      this.note(stepName.slice(1), event);
      await this.save();
      return;
    }
    const index = this.definition.steps.findIndex((step) => step.name === stepName);
    if (index < 0 || index < this.flow.cursor) return; // the step is behind the flow: a late copy
    if (index > this.flow.cursor) {
      // Arrived before the flow reached its step (a disposition before the work order is
      // done): kept, and taken when the flow gets there.
      this.flow.engine.early[stepName] = event as unknown as Record<string, unknown>;
      await this.save();
      return;
    }
    const step = this.definition.steps[index];
    if (matchKey.startsWith('failed:')) await this.commandFailed(step, event);
    else if (matchKey.startsWith('answer:'))
      await this.answered(step, matchKey.slice('answer:'.length), event);
    else await this.awaited(step, event);
    await this.save();
  }

  private note(name: string, event: CloudEventEnvelope): void {
    const collector = this.definition.collect?.find((candidate) => candidate.name === name);
    if (!collector) return;
    const before = JSON.stringify(this.data);
    Object.assign(this.data, collector.into(this.data, event));
    if (JSON.stringify(this.data) === before) return; // known already (the flow's own answer)
    this.log({
      name,
      state: 'noted',
      detail: { event: event.type, eventId: event.id, subject: event.subject },
    });
  }

  /** A durable timer of this flow came due. */
  async elapse(timer: FlowTimer): Promise<void> {
    const step = this.definition.steps[this.flow.cursor];
    const attempt = this.flow.engine.attempts[timer.step];
    if (!step || step.name !== timer.step || attempt !== timer.attempt || !step.deadline) return;
    const seconds = step.deadline.seconds(this.data);
    if (step.deadline.then === 'continue') {
      this.log({ name: step.name, state: 'elapsed', detail: { seconds } });
      await this.next(step);
    } else {
      await this.escalate(step.name, `no answer within ${seconds} s (attempt ${attempt})`);
      if (step.send && attempt <= (step.retries?.(this.data) ?? 0))
        await this.send(step, attempt + 1);
    }
    await this.save();
  }

  private async advance(): Promise<void> {
    const steps = this.definition.steps;
    while (this.flow.cursor < steps.length) {
      const step = steps[this.flow.cursor];
      this.flow.currentStep = step.name;
      if (step.when && !(await step.when(this.data, this.facts))) {
        this.log({ name: step.name, state: 'skipped' });
        this.flow.cursor += 1;
        continue;
      }
      if (step.send) {
        await this.send(step, 1);
        this.listenAhead();
        return;
      }
      if (step.await) {
        const subject = step.await.subject(this.data);
        if (subject === undefined) {
          throw new PermanentError(
            `flow ${this.flow.type}: step ${step.name} has no subject to await`,
          );
        }
        this.store.wait(this.flow.id, step.name, `${step.await.event}:${subject}`);
        this.flow.engine.attempts[step.name] = 1;
        await this.armDeadline(step, 1);
        this.listenAhead();
        const early = this.flow.engine.early[step.name];
        if (early) {
          delete this.flow.engine.early[step.name];
          await this.awaited(step, early as unknown as CloudEventEnvelope);
        } else {
          this.log({
            name: step.name,
            state: 'waiting',
            detail: { event: step.await.event, subject },
          });
        }
        return;
      }
      this.flow.cursor += 1;
    }
    await this.end('completed');
  }

  /** Registers the waits of the steps ahead whose subject is known, so nothing is missed. */
  private listenAhead(): void {
    const steps = this.definition.steps;
    for (let i = this.flow.cursor + 1; i < steps.length; i++) {
      const step = steps[i];
      const subject = step.await?.subject(this.data);
      if (step.await && subject !== undefined) {
        this.store.wait(this.flow.id, step.name, `${step.await.event}:${subject}`);
      }
    }
  }

  private async send(step: AnyStep, attempt: number): Promise<void> {
    const requests = step.send!(this.data);
    const ids = (this.flow.engine.commands[step.name] ??= []);
    const answers = (this.flow.engine.answers[step.name] ??= {});
    const sent: { type: string; id: string }[] = [];
    for (const [index, request] of requests.entries()) {
      if (answers[index]) continue; // a re-send asks again only what is unanswered
      const envelope = this.command(step.name, index, request);
      ids[index] = [...(ids[index] ?? []), envelope.id];
      this.store.wait(this.flow.id, step.name, `answer:${envelope.id}`);
      this.store.wait(this.flow.id, step.name, `failed:${envelope.id}`);
      await this.publish(envelope);
      sent.push({ type: request.type, id: envelope.id });
      if (attempt === 1) {
        await this.record(step.audit?.sent?.(this.data, request), { commandId: envelope.id });
      }
    }
    this.flow.engine.attempts[step.name] = attempt;
    await this.armDeadline(step, attempt);
    this.log({
      name: step.name,
      state: attempt === 1 ? 'sent' : 'resent',
      detail: { attempt, commands: sent },
    });
  }

  private async answered(step: AnyStep, commandId: string, event: CloudEventEnvelope) {
    const ids = this.flow.engine.commands[step.name] ?? [];
    const index = ids.findIndex((attempts) => attempts.includes(commandId));
    const answers = (this.flow.engine.answers[step.name] ??= {});
    if (index < 0 || answers[index]) return;
    answers[index] = event as unknown as Record<string, unknown>;
    if (this.flow.state === 'escalated') this.flow.state = 'running';
    this.log({
      name: step.name,
      state: 'answered',
      detail: { event: event.type, eventId: event.id, subject: event.subject },
    });
    await this.record(step.audit?.answered?.(this.data, event), {}, event.id);
    if (Object.keys(answers).length < ids.length) return;
    const ordered = ids.map((_, i) => answers[i] as unknown as CloudEventEnvelope);
    Object.assign(this.data, step.answered?.(this.data, ordered) ?? {});
    await this.next(step);
  }

  private async awaited(step: AnyStep, event: CloudEventEnvelope): Promise<void> {
    const verdict = step.await?.verdict?.(this.data, event) ?? { accept: true };
    if (!verdict.accept) {
      this.log({
        name: step.name,
        state: 'refused',
        detail: { event: event.type, eventId: event.id, reason: verdict.reason },
      });
      await this.record(step.audit?.refused?.(this.data, event, verdict.reason), {}, event.id);
      await this.escalate(step.name, verdict.reason);
      return;
    }
    Object.assign(this.data, verdict.context ?? {});
    await this.record(step.audit?.accepted?.(this.data, event), {}, event.id);
    if (this.flow.state === 'escalated') this.flow.state = 'running';
    if (verdict.endFlow !== undefined) {
      this.log({
        name: step.name,
        state: 'done',
        detail: { event: event.type, eventId: event.id },
      });
      await this.end('completed', verdict.endFlow);
      return;
    }
    await this.next(step, { event: event.type, eventId: event.id });
  }

  private async next(step: AnyStep, detail?: Record<string, unknown>): Promise<void> {
    this.log({ name: step.name, state: 'done', ...(detail ? { detail } : {}) });
    this.flow.engine.done = [...(this.flow.engine.done ?? []), step.name];
    this.flow.cursor += 1;
    await this.advance();
  }

  private async commandFailed(step: AnyStep, event: CloudEventEnvelope): Promise<void> {
    const failure = event.data as { commandType: string; error: string };
    const attempt = this.flow.engine.attempts[step.name] ?? 1;
    this.log({
      name: step.name,
      state: 'failed',
      detail: { command: failure.commandType, error: failure.error, attempt },
    });
    if (attempt <= (step.retries?.(this.data) ?? 0)) {
      await this.send(step, attempt + 1);
      return;
    }
    // Spent: undo what the steps before did, newest first, then end the flow as failed.
    const steps = this.definition.steps;
    const done = new Set(this.flow.engine.done ?? []);
    for (let i = this.flow.cursor - 1; i >= 0; i--) {
      const earlier = steps[i];
      if (!earlier.compensate || !done.has(earlier.name)) continue;
      const sent: { type: string; id: string }[] = [];
      for (const [index, request] of earlier.compensate(this.data).entries()) {
        const envelope = this.command(`${earlier.name}.compensate`, index, request);
        await this.publish(envelope);
        sent.push({ type: request.type, id: envelope.id });
      }
      this.log({ name: earlier.name, state: 'compensated', detail: { commands: sent } });
    }
    await this.escalate(step.name, `${failure.commandType} failed: ${failure.error}`);
    await this.end('failed', `${step.name} failed`);
  }

  private async escalate(step: string, reason: string): Promise<void> {
    this.flow.engine.escalations += 1;
    this.flow.state = 'escalated';
    const at = this.now.toISOString();
    await this.publish(
      buildEnvelope({
        type: 'flow.escalated',
        subject: this.flow.id,
        source: { plant: this.flow.plant, ...FLOW_SOURCE },
        fact: { key: `orchestrator:${this.flow.id}:escalated:${this.flow.engine.escalations}` },
        cause: this.cause,
        time: this.now,
        data: {
          flowId: this.flow.id,
          flowType: this.flow.type,
          step,
          reason: reason.slice(0, 1000),
          escalatedAt: at,
        },
      }) as unknown as CloudEventEnvelope,
    );
    this.log({ name: step, state: 'escalated', detail: { reason } });
    this.observer.escalated?.(this.flow, step, reason);
  }

  private async end(state: 'completed' | 'failed', reason?: string): Promise<void> {
    this.flow.state = state;
    this.flow.currentStep = null;
    this.flow.cursor = this.definition.steps.length;
    this.log({ name: 'flow', state, ...(reason ? { detail: { reason } } : {}) });
    await this.store.endWaits(this.flow.id);
    this.observer.ended?.(this.flow, this.now);
  }

  private async armDeadline(step: AnyStep, attempt: number): Promise<void> {
    if (!step.deadline) return;
    const due = new Date(this.now.getTime() + step.deadline.seconds(this.data) * 1000);
    await this.store.arm(this.flow.id, step.name, attempt, due);
  }

  /** A command of this flow: its correlation id, a key stable across re-sends. */
  private command(step: string, index: number, request: CommandRequest): CloudEventEnvelope {
    return buildEnvelope({
      type: request.type,
      subject: request.subject,
      source: { plant: this.flow.plant, ...FLOW_SOURCE },
      fact: { key: `orchestrator:${this.flow.id}:${step}:${index}` },
      cause: this.cause,
      time: this.now,
      data: request.data,
    }) as unknown as CloudEventEnvelope;
  }

  /** An audit entry of a step's decision, in this transaction: the flow named, the cause set. */
  private async record(
    entry: StepAudit | undefined,
    detail: Record<string, unknown>,
    causeEventId = this.cause.id,
  ): Promise<void> {
    if (entry === undefined) return;
    await this.audit({
      ...entry,
      causeEventId: entry.causeEventId ?? causeEventId,
      detail: { ...entry.detail, ...detail, flowId: this.flow.id, flowType: this.flow.type },
    });
  }

  private log(entry: TimelineEntry): void {
    this.store.append(this.flow, entry, this.now);
  }

  private save(): Promise<void> {
    return this.store.save(this.flow, this.now);
  }
}
