import { buildEnvelope, type CloudEvent } from '@threadline/contracts';
import type { RuleFinding } from './signal-rules';
import type { TelemetryBatch } from './telemetry.batcher';

/** Who emits: `/plants/{plant}/plc/{connector}` and keys `plc:{asset}:{fact}`. */
export interface PlcSource {
  plant: string;
  connector: string;
}

/**
 * The canonical events of a PLC connector. Keys come from the source facts (asset, tag times,
 * rule and source time), so an event built again from the same signals has the same key.
 */
export function telemetryEvent(source: PlcSource, batch: TelemetryBatch): CloudEvent {
  const first = batch.samples[0];
  const last = batch.samples[batch.samples.length - 1];
  return buildEnvelope({
    type: 'equipment.telemetry.sampled',
    data: {
      assetId: batch.assetId,
      samples: batch.samples.map(({ tag, value, sourceTime, quality }) => ({
        tag,
        value,
        sourceTime,
        quality,
      })),
    },
    subject: batch.assetId,
    source: identity(source),
    fact: {
      system: 'plc',
      objectId: batch.assetId,
      fact: `telemetry-${Date.parse(first.sourceTime)}-${Date.parse(last.sourceTime)}-${batch.samples.length}`,
    },
    time: last.sourceTime,
  });
}

export function findingEvent(source: PlcSource, finding: RuleFinding): CloudEvent {
  const { assetId } = finding.rule;
  const fact = (name: string) => ({
    system: 'plc',
    objectId: assetId,
    fact: `${name}-${Date.parse(finding.at)}`,
  });
  const common = { subject: assetId, source: identity(source), time: finding.at };
  switch (finding.kind) {
    case 'alarm.raised':
      return buildEnvelope({
        ...common,
        type: 'equipment.alarm.raised',
        data: {
          assetId,
          alarmCode: finding.rule.alarmCode,
          severity: finding.rule.severity,
          raisedAt: finding.at,
          tag: finding.rule.tag,
          value: finding.value,
        },
        fact: fact(`alarm-${finding.rule.alarmCode}-raised`),
      });
    case 'alarm.cleared':
      return buildEnvelope({
        ...common,
        type: 'equipment.alarm.cleared',
        data: { assetId, alarmCode: finding.rule.alarmCode, clearedAt: finding.at },
        fact: fact(`alarm-${finding.rule.alarmCode}-cleared`),
      });
    case 'downtime.started':
      return buildEnvelope({
        ...common,
        type: 'equipment.downtime.started',
        data: { assetId, reasonCode: finding.rule.reasonCode, startedAt: finding.at },
        fact: fact('downtime-started'),
      });
    case 'downtime.ended':
      return buildEnvelope({
        ...common,
        type: 'equipment.downtime.ended',
        data: { assetId, endedAt: finding.at, durationSeconds: finding.durationSeconds },
        fact: fact('downtime-ended'),
      });
  }
}

function identity(source: PlcSource) {
  return { plant: source.plant, system: 'plc', connectorId: source.connector };
}
