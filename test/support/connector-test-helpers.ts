import { metricValue } from './metric-value';
import type { TargetState } from '@threadline/observability';
import type { CloudEventEnvelope } from '@threadline/schema-registry';
import { eventually } from '@threadline/testing';
import type { ConnectorHarness } from './connector-harness';

/** `editConfig` that makes every poll of the example configuration run each second. */
export const fastPolling = (_file: string, text: string): string =>
  text.replace(/intervalSeconds: \d+/g, 'intervalSeconds: 1');

export const sleep = (ms: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, ms));

/** Waits for the event of `type` the connector published in answer to `command`. */
export async function answerTo(
  harness: ConnectorHarness,
  type: string,
  command: CloudEventEnvelope,
): Promise<CloudEventEnvelope> {
  const find = async () =>
    (await harness.published(type)).find((event) => event.causationid === command.id);
  await eventually(
    async () => (await find()) !== undefined,
    `${type} for ${command.type}`,
    90_000,
    100,
  );
  return (await find())!;
}

/** Exactly one published event of `type` per record id (its idempotency key names the id). */
export async function expectOnePerRecord(
  harness: ConnectorHarness,
  type: string,
  ids: readonly string[],
): Promise<void> {
  const events = await harness.published(type);
  expect(events).toHaveLength(ids.length);
  expect(new Set(events.map((event) => event.idempotencykey)).size).toBe(ids.length);
  for (const id of ids) {
    expect(events.filter((event) => event.idempotencykey.includes(`:${id}:`))).toHaveLength(1);
  }
}

/** Polled streams' stored positions (`connector_cursor`), by stream name. */
export async function storedCursors(
  harness: ConnectorHarness,
  connector: string,
): Promise<Map<string, string>> {
  const rows = await harness.runtime.dataSource.query<{ stream: string; position: string }[]>(
    'SELECT stream, position FROM connector_cursor WHERE connector = $1',
    [connector],
  );
  return new Map(rows.map((row) => [row.stream, row.position]));
}

/** Records every change of the target's health state until `stop()`. */
export function recordHealth(harness: ConnectorHarness): { states: TargetState[]; stop(): void } {
  const states: TargetState[] = [];
  const sampler = setInterval(() => {
    const state = harness.host.health().state;
    if (states[states.length - 1] !== state) states.push(state);
  }, 50);
  return { states, stop: () => clearInterval(sampler) };
}

/**
 * What every outage test checks after recovery: transient failures went to the retry tiers, the
 * target was seen down and then up, and its gauge reads up again.
 */
export async function expectRecoveredTarget(
  harness: ConnectorHarness,
  health: { states: string[] },
  retriesBefore: number,
): Promise<void> {
  const { system } = harness.host.spec;
  const retries = await metricValue(harness.metrics.retries, { service: `connector-${system}` });
  expect(retries).toBeGreaterThan(retriesBefore);
  expect(health.states).toContain('down');
  expect(health.states.indexOf('down')).toBeLessThan(health.states.lastIndexOf('up'));
  expect(harness.host.health().state).toBe('up');
  expect(await metricValue(harness.metrics.connectorTargetUp, { system })).toBe(1);
}
