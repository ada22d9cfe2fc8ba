import { randomUUID } from 'node:crypto';
import {
  FlowInstance,
  FlowStep,
  FlowTimer,
  FlowWait,
  type FlowState,
} from '@threadline/persistence';
import { dialectOf, timestampValue } from '@threadline/messaging';
import type { EntityManager } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { ConflictError } from './flow-errors';

/** The engine's bookkeeping beside the flow's own data. */
export interface EngineState {
  /** Sends per step so far (1 on the first send). */
  attempts: Record<string, number>;
  /** The command ids sent per step, per command index (every attempt's id). */
  commands: Record<string, string[][]>;
  /** Success events received for the current step, per command index. */
  answers: Record<string, Record<number, Record<string, unknown>>>;
  /** Events that arrived for a step the flow has not reached yet. */
  early: Record<string, Record<string, unknown>>;
  /** The event the flow last acted on: the cause of what a timer sends. */
  lastEventId: string;
  escalations: number;
  /** Steps done (not skipped), in order: the ones a failure compensates. */
  done?: string[];
  /** Timeline rows written so far: the next row's seq. */
  logged: number;
}

export interface StoredFlow<C = Record<string, unknown>> {
  readonly id: string;
  readonly type: string;
  readonly subject: string;
  readonly plant: string;
  readonly correlationId: string;
  state: FlowState;
  cursor: number;
  currentStep: string | null;
  data: C;
  engine: EngineState;
  readonly startedAt: Date;
  version: number;
}

export interface TimelineEntry {
  readonly name: string;
  readonly state: string;
  readonly detail?: Record<string, unknown>;
}

/**
 * The flow tables through the transaction's manager. Timeline rows and waits are gathered and
 * written in one statement each when the flow is saved.
 */
export class FlowStore {
  private timeline: QueryDeepPartialEntity<FlowStep>[] = [];
  private waits: { flowId: string; step: string; matchKey: string }[] = [];

  constructor(private readonly manager: EntityManager) {}

  async create(flow: {
    type: string;
    subject: string;
    plant: string;
    correlationId: string;
    data: object;
    lastEventId: string;
    now: Date;
  }): Promise<StoredFlow | undefined> {
    const existing = await this.manager.findOne(FlowInstance, {
      where: { type: flow.type, subject: flow.subject },
      select: { id: true },
    });
    if (existing) return undefined;
    const stored: StoredFlow = {
      id: randomUUID(),
      type: flow.type,
      subject: flow.subject,
      plant: flow.plant,
      correlationId: flow.correlationId,
      state: 'running',
      cursor: 0,
      currentStep: null,
      data: flow.data as Record<string, unknown>,
      engine: {
        attempts: {},
        commands: {},
        answers: {},
        early: {},
        lastEventId: flow.lastEventId,
        escalations: 0,
        logged: 0,
      },
      startedAt: flow.now,
      version: 0,
    };
    await this.manager.insert(FlowInstance, {
      id: stored.id,
      type: stored.type,
      subject: stored.subject,
      plant: stored.plant,
      correlationId: stored.correlationId,
      state: stored.state,
      cursor: stored.cursor,
      currentStep: stored.currentStep,
      context: { data: stored.data, engine: stored.engine },
      startedAt: flow.now,
      updatedAt: flow.now,
      version: 0,
    });
    return stored;
  }

  async load(id: string): Promise<StoredFlow | undefined> {
    const row = await this.manager.findOne(FlowInstance, { where: { id } });
    if (!row) return undefined;
    const context = row.context as { data: Record<string, unknown>; engine: EngineState };
    return {
      id: row.id,
      type: row.type,
      subject: row.subject,
      plant: row.plant,
      correlationId: row.correlationId,
      state: row.state,
      cursor: row.cursor,
      currentStep: row.currentStep,
      data: context.data,
      engine: context.engine,
      startedAt: row.startedAt,
      version: row.version,
    };
  }

  /** Writes the flow back; another writer in between is a conflict (the message is retried). */
  async save(flow: StoredFlow, now: Date): Promise<void> {
    await this.flush();
    const result = await this.manager
      .createQueryBuilder()
      .update(FlowInstance)
      .set({
        state: flow.state,
        cursor: flow.cursor,
        currentStep: flow.currentStep,
        context: { data: flow.data, engine: flow.engine },
        updatedAt: now,
        version: flow.version + 1,
      })
      .where('id = :id AND version = :version', { id: flow.id, version: flow.version })
      .execute();
    if (result.affected !== 1) {
      throw new ConflictError(`flow ${flow.id} changed meanwhile (version ${flow.version})`);
    }
    flow.version += 1;
  }

  append(flow: StoredFlow, entry: TimelineEntry, now: Date): void {
    this.timeline.push({
      flowId: flow.id,
      seq: flow.engine.logged,
      name: entry.name,
      state: entry.state,
      at: now,
      detail: entry.detail ?? null,
    } as QueryDeepPartialEntity<FlowStep>);
    flow.engine.logged += 1;
  }

  /** Writes the gathered timeline rows and waits. */
  private async flush(): Promise<void> {
    if (this.timeline.length > 0) {
      const rows = this.timeline;
      this.timeline = [];
      await this.manager.insert(FlowStep, rows);
    }
    if (this.waits.length > 0) {
      const rows = this.waits;
      this.waits = [];
      await this.manager
        .createQueryBuilder()
        .insert()
        .into(FlowWait)
        .values(rows)
        .orIgnore()
        .execute();
    }
  }

  /** The flows waiting for any of these keys, with the step that waits. */
  async waitingFor(keys: readonly string[]): Promise<FlowWait[]> {
    if (keys.length === 0) return [];
    return this.manager
      .createQueryBuilder(FlowWait, 'w')
      .where('w.match_key IN (:...keys)', { keys })
      .orderBy('w.flow_id')
      .addOrderBy('w.match_key')
      .getMany();
  }

  wait(flowId: string, step: string, matchKey: string): void {
    if (this.waits.some((wait) => wait.flowId === flowId && wait.matchKey === matchKey)) return;
    this.waits.push({ flowId, step, matchKey });
  }

  /** Ends every wait and timer of a flow that has ended. */
  async endWaits(flowId: string): Promise<void> {
    this.waits = this.waits.filter((wait) => wait.flowId !== flowId);
    await this.manager.delete(FlowWait, { flowId });
    await this.manager
      .createQueryBuilder()
      .delete()
      .from(FlowTimer)
      .where('flow_id = :flowId AND fired_at IS NULL', { flowId })
      .execute();
  }

  async arm(flowId: string, step: string, attempt: number, dueAt: Date): Promise<void> {
    await this.manager
      .createQueryBuilder()
      .insert()
      .into(FlowTimer)
      .values({ id: `${flowId}:${step}:${attempt}`, flowId, step, attempt, dueAt, firedAt: null })
      .orIgnore()
      .execute();
  }

  /** Due timers, oldest first. */
  async due(now: Date, limit: number): Promise<FlowTimer[]> {
    return this.manager
      .createQueryBuilder(FlowTimer, 't')
      .where('t.fired_at IS NULL AND t.due_at <= :now', {
        now: timestampValue(dialectOf(this.manager), now),
      })
      .orderBy('t.due_at')
      .limit(limit)
      .getMany();
  }

  /** Marks a timer fired; false when another poller fired it first. */
  async fire(timer: FlowTimer, now: Date): Promise<boolean> {
    const result = await this.manager
      .createQueryBuilder()
      .update(FlowTimer)
      .set({ firedAt: now })
      .where('id = :id AND fired_at IS NULL', { id: timer.id })
      .execute();
    return result.affected === 1;
  }
}
