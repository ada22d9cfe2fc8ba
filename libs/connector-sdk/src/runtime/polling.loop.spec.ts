import { TransientError } from '@threadline/core';
import { MessagingRuntime } from '@threadline/messaging';
import { createLogger } from '@threadline/observability';
import { OutboxMessage } from '@threadline/persistence';
import type { PollingSource } from '../config/connector-config.types';
import { CursorStore } from '../cursor/cursor.store';
import { InboundMapper } from '../mapping/inbound-mapper';
import { compileMapping } from '../mapping/mapping';
import type { MappingRejection, MappingRejectionSink } from '../mapping/mapping-rejection';
import {
  QMS_NONCONFORMANCE_MAPPING,
  qmsNonconformanceWebhook,
} from '../mapping/qms-nonconformance.fixture';
import type { PolledPage } from './connector-spec.types';
import { PollingLoop } from './polling.loop';
import { ScriptedAdapter } from './scripted.adapter';

const logger = createLogger({ service: 't', level: 'silent' });
const CONNECTOR = 'qms-main';
const SOURCE: PollingSource = {
  name: 'nonconformances',
  resource: '/nonconformances',
  intervalSeconds: 60,
  cursorField: 'changedAt',
  mapping: { expression: QMS_NONCONFORMANCE_MAPPING },
  eventType: 'quality.nonconformance.raised',
};

/** A strict rejection sink: each rejection takes the next scripted reply; any other fails. */
class ScriptedSink implements MappingRejectionSink {
  readonly received: MappingRejection[] = [];
  readonly unexpected: string[] = [];
  private readonly replies: (() => Promise<void>)[] = [];

  on(...replies: (() => Promise<void>)[]): this {
    this.replies.push(...replies);
    return this;
  }

  reject(rejection: MappingRejection): Promise<void> {
    this.received.push(rejection);
    const reply = this.replies.shift();
    if (reply) return reply();
    this.unexpected.push(`unexpected rejection of ${JSON.stringify(rejection.payload)}`);
    return Promise.reject(new Error('ScriptedSink: unexpected call reject'));
  }
}

const accept = () => Promise.resolve();
const page =
  (records: unknown[], cursor?: string, hasMore = false) =>
  (): PolledPage => ({
    records,
    cursor,
    hasMore,
  });
const nc = (number: string, sev = 'MAJ') => qmsNonconformanceWebhook({ number, sev });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function eventually(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 3_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

describe('PollingLoop on SQLite', () => {
  let runtime: MessagingRuntime;
  let adapter: ScriptedAdapter;
  let sink: ScriptedSink;
  let cursors: CursorStore;
  let loop: PollingLoop | undefined;

  beforeEach(async () => {
    runtime = await MessagingRuntime.create({
      database: { sqlitePath: ':memory:' },
      logger,
      relay: false,
    });
    adapter = new ScriptedAdapter();
    sink = new ScriptedSink();
    cursors = new CursorStore(runtime.dataSource);
  });

  afterEach(async () => {
    await loop?.stop();
    loop = undefined;
    await runtime.stop();
    expect(sink.unexpected).toEqual([]);
    adapter.verify();
  });

  function pollingLoop(where?: string): PollingLoop {
    loop = new PollingLoop({
      connector: CONNECTOR,
      source: SOURCE,
      adapter,
      mapper: new InboundMapper({
        mapping: compileMapping(QMS_NONCONFORMANCE_MAPPING, 'qms-nonconformance'),
        eventType: SOURCE.eventType,
        source: { plant: 'PLANT-01', system: 'qms', connectorId: CONNECTOR },
        identity: { fact: 'raised', time: '$payload.nc.detected' },
        registry: runtime.registry,
      }),
      where: where ? compileMapping(where, 'qms-main/nonconformances where') : undefined,
      cursors,
      dataSource: runtime.dataSource,
      publisher: runtime.publisher,
      rejections: sink,
      logger,
    });
    return loop;
  }

  const cursor = () => cursors.get(CONNECTOR, SOURCE.name);
  const outbox = async () =>
    (await runtime.dataSource.getRepository(OutboxMessage).find({ order: { id: 'ASC' } })).map(
      (row) => `${row.routingKey} ${row.subject}`,
    );

  it("writes a page's events to the outbox and moves the cursor; the next poll starts there", async () => {
    adapter.onPoll(page([nc('NC-1'), nc('NC-2')], 'c-1', true), page([nc('NC-3')], 'c-2'));
    const polling = pollingLoop();

    expect(await polling.pollOnce()).toEqual({
      published: 2,
      rejected: 0,
      skipped: 0,
      hasMore: true,
    });
    expect(await outbox()).toEqual([
      'quality.nonconformance.raised NC-1',
      'quality.nonconformance.raised NC-2',
    ]);
    expect(await cursor()).toBe('c-1');

    await polling.pollOnce();
    expect(adapter.polled).toEqual([
      { source: 'nonconformances', cursor: undefined },
      { source: 'nonconformances', cursor: 'c-1' },
    ]);
    expect(await cursor()).toBe('c-2');
    expect(await outbox()).toHaveLength(3);
  });

  it('writes events and cursor in one commit: a cursor that cannot be stored keeps the events out', async () => {
    // An empty position is refused by the store after the events were inserted.
    adapter.onPoll(page([nc('NC-1')], ''));
    await expect(pollingLoop().pollOnce()).rejects.toThrow(/cursor position must be a non-empty/);
    expect(await outbox()).toEqual([]);
    expect(await cursor()).toBeUndefined();
  });

  it('skips the records `where` is false for and still moves past them', async () => {
    adapter.onPoll(page([nc('NC-1', 'MIN'), nc('NC-2'), nc('NC-3', 'MIN')], 'c-1'));
    const result = await pollingLoop('nc.sev != "MIN"').pollOnce();
    expect(result).toEqual({ published: 1, rejected: 0, skipped: 2, hasMore: false });
    expect(await outbox()).toEqual(['quality.nonconformance.raised NC-2']);
    expect(await cursor()).toBe('c-1');
  });

  it('sends a record the mapping rejects to the sink and moves the cursor past it', async () => {
    sink.on(accept);
    const unmappable = nc('NC-1', 'WHAT');
    adapter.onPoll(page([unmappable, nc('NC-2')], 'c-1'));

    const result = await pollingLoop().pollOnce();

    expect(result).toEqual({ published: 1, rejected: 1, skipped: 0, hasMore: false });
    expect(sink.received).toHaveLength(1);
    expect(sink.received[0]).toMatchObject({
      connector: CONNECTOR,
      eventType: 'quality.nonconformance.raised',
      reason: 'schema-invalid',
      payload: unmappable,
    });
    expect(await outbox()).toEqual(['quality.nonconformance.raised NC-2']);
    expect(await cursor()).toBe('c-1');
  });

  it('writes nothing and keeps the cursor when the sink fails, so the page is read again', async () => {
    const second = page([nc('NC-2', 'WHAT'), nc('NC-3')], 'c-2');
    adapter.onPoll(page([nc('NC-1')], 'c-1'), second, second);
    const polling = pollingLoop();
    await polling.pollOnce();

    const down = new TransientError('ingress DLQ unreachable');
    sink.on(() => Promise.reject(down));
    await expect(polling.pollOnce()).rejects.toBe(down);
    expect(await outbox()).toEqual(['quality.nonconformance.raised NC-1']);
    expect(await cursor()).toBe('c-1');

    sink.on(accept);
    expect(await polling.pollOnce()).toMatchObject({ published: 1, rejected: 1 });
    expect(adapter.polled.map((call) => call.cursor)).toEqual([undefined, 'c-1', 'c-1']);
    expect(sink.received.map((rejection) => rejection.payload)).toEqual([
      nc('NC-2', 'WHAT'),
      nc('NC-2', 'WHAT'),
    ]);
    expect(await outbox()).toEqual([
      'quality.nonconformance.raised NC-1',
      'quality.nonconformance.raised NC-3',
    ]);
    expect(await cursor()).toBe('c-2');
  });

  it('writes nothing for an empty page with an unchanged cursor', async () => {
    adapter.onPoll(page([nc('NC-1')], 'c-1'), page([], 'c-1'), page([], undefined));
    const polling = pollingLoop();
    await polling.pollOnce();
    await runtime.dataSource.query(
      `UPDATE connector_cursor SET updated_at = '2020-01-01 00:00:00.000'`,
    );

    expect(await polling.pollOnce()).toEqual({
      published: 0,
      rejected: 0,
      skipped: 0,
      hasMore: false,
    });
    await polling.pollOnce();

    const rows = await runtime.dataSource.query<{ position: string; updated_at: string }[]>(
      'SELECT position, updated_at FROM connector_cursor',
    );
    expect(rows).toEqual([{ position: 'c-1', updated_at: '2020-01-01 00:00:00.000' }]);
    expect(await outbox()).toHaveLength(1);
  });

  it('stores nothing for a first empty page without a cursor, and moves an empty page with one', async () => {
    adapter.onPoll(page([], undefined), page([], 'c-5'));
    const polling = pollingLoop();
    await polling.pollOnce();
    expect(await runtime.dataSource.query('SELECT position FROM connector_cursor')).toEqual([]);
    await polling.pollOnce();
    expect(await cursor()).toBe('c-5');
    expect(await outbox()).toEqual([]);
  });

  it('polls again at once while more is waiting, then waits for the interval', async () => {
    adapter.onPoll(page([nc('NC-1')], 'c-1', true), page([nc('NC-2')], 'c-2', false));
    pollingLoop().start();
    await eventually(() => adapter.polled.length === 2, 'the second page');
    await sleep(50);
    expect(adapter.polled).toHaveLength(2);
    await loop?.stop();
    expect(await cursor()).toBe('c-2');
  });

  it('stop() waits for the poll in flight to commit, and no poll follows', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    adapter.onPoll(async () => {
      await held;
      return { records: [nc('NC-1')], cursor: 'c-1', hasMore: true };
    });
    const polling = pollingLoop();
    polling.start();
    await eventually(() => adapter.polled.length === 1, 'the poll to start');

    let stopped = false;
    const stopping = polling.stop().then(() => (stopped = true));
    await sleep(30);
    expect(stopped).toBe(false);

    release();
    await stopping;
    expect(await outbox()).toEqual(['quality.nonconformance.raised NC-1']);
    expect(await cursor()).toBe('c-1');
    await sleep(30);
    expect(adapter.polled).toHaveLength(1);
  });
});
