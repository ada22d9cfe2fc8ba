import { cpus, loadavg, totalmem } from 'node:os';
import { round } from './bench-support';
import type { CaseOutcome } from './plc-case.runner';
import type { PlcBenchSettings } from './plc.bench';
import { MODBUS_FAST_MS, MODBUS_PACED_MS } from './plc-workload';
import type { DrainOutcome } from './plc-drain.case';

const GOAL_PER_SECOND = 20_000;
const GOAL_RSS_MB = 150;

export interface OpcUaOutcomes {
  readonly raw: CaseOutcome;
  readonly sqlite: CaseOutcome;
  readonly postgres?: CaseOutcome;
}

export interface ModbusOutcomes {
  readonly raw: CaseOutcome;
  readonly paced: CaseOutcome;
  readonly fast: CaseOutcome;
  readonly fastPostgres?: CaseOutcome;
}

export interface PlcOutcomes {
  readonly opcua?: OpcUaOutcomes;
  readonly modbus?: ModbusOutcomes;
  readonly drain?: DrainOutcome;
}

/** One connector case: source and end-to-end rates, memory, CPU, and the delivery check. */
function connectorFigures(outcome: CaseOutcome) {
  const { endToEnd, connector, ...window } = outcome;
  return {
    perSecondEndToEnd: endToEnd?.samplesPerSecond ?? 0,
    ...window,
    ...connector,
    eventsPerSecond: endToEnd?.eventsPerSecond,
    samplesPerEvent: endToEnd?.samplesPerEvent,
    sampleAgeP50Ms: endToEnd?.sampleAgeP50Ms,
    sampleAgeP99Ms: endToEnd?.sampleAgeP99Ms,
    delivery: endToEnd && {
      takenBeforeStop: endToEnd.takenBeforeStop,
      deliveredAfterStop: endToEnd.deliveredAfterStop,
      leftUnsentInOutbox: endToEnd.leftUnsentInOutbox,
      allTakenDelivered:
        endToEnd.deliveredAfterStop + endToEnd.leftUnsentInOutbox >= endToEnd.takenBeforeStop &&
        endToEnd.leftUnsentInOutbox === 0,
    },
  };
}

function met(outcome: CaseOutcome): boolean {
  const perSecond = outcome.endToEnd?.samplesPerSecond ?? 0;
  return perSecond >= GOAL_PER_SECOND && outcome.rssPeakMb < GOAL_RSS_MB;
}

function ratio(value: number, baseline: number): number {
  return baseline === 0 ? 0 : round(value / baseline, 3);
}

function opcUaSection(settings: PlcBenchSettings, outcomes: OpcUaOutcomes) {
  const { raw, sqlite, postgres } = outcomes;
  return {
    unit: 'monitored-item changes per second',
    offered: (settings.opcua.items * 1000) / settings.opcua.samplingIntervalMs,
    connector: connectorFigures(sqlite),
    ...(postgres ? { connectorOnPostgres: connectorFigures(postgres) } : {}),
    rawNodeOpcua: raw,
    ratioToRaw: {
      atSource: ratio(sqlite.perSecondAtSource, raw.perSecondAtSource),
      endToEnd: ratio(sqlite.endToEnd?.samplesPerSecond ?? 0, raw.perSecondAtSource),
    },
  };
}

function modbusSection(settings: PlcBenchSettings, outcomes: ModbusOutcomes) {
  const { raw, paced, fast, fastPostgres } = outcomes;
  const offered = (intervalMs: number) =>
    (settings.modbus.unitIds.length * settings.modbus.registersPerUnit * 1000) / intervalMs;
  return {
    unit: 'registers read and decoded per second',
    paced: {
      intervalMs: MODBUS_PACED_MS,
      offered: offered(MODBUS_PACED_MS),
      ...connectorFigures(paced),
    },
    fast: {
      intervalMs: MODBUS_FAST_MS,
      offered: offered(MODBUS_FAST_MS),
      ...connectorFigures(fast),
    },
    ...(fastPostgres ? { fastOnPostgres: connectorFigures(fastPostgres) } : {}),
    rawModbusSerial: { note: 'back to back, no interval', ...raw },
    ratioToRaw: {
      fastAtSource: ratio(fast.perSecondAtSource, raw.perSecondAtSource),
      fastEndToEnd: ratio(fast.endToEnd?.samplesPerSecond ?? 0, raw.perSecondAtSource),
    },
  };
}

export function plcReport(settings: PlcBenchSettings, outcomes: PlcOutcomes) {
  const { opcua, modbus, drain } = outcomes;
  return {
    bench: 'plc',
    ...(drain
      ? { drain: { ...drain, allDelivered: drain.samplesDelivered >= drain.bufferedSamples } }
      : {}),
    ...(opcua ? { opcua: opcUaSection(settings, opcua) } : {}),
    ...(modbus ? { modbus: modbusSection(settings, modbus) } : {}),
    goal: {
      changesPerSecond: `>=${GOAL_PER_SECOND}`,
      rssMb: `<${GOAL_RSS_MB}`,
      measuredOn:
        'end to end (samples in telemetry events that reached the queue) and peak RSS of the ' +
        'connector process; OPC UA on the SQLite case, Modbus on the 10 ms SQLite case',
      met: {
        ...(opcua ? { opcua: met(opcua.sqlite) } : {}),
        ...(modbus ? { modbus: met(modbus.fast) } : {}),
      },
    },
    settings: {
      timing: settings.timing,
      opcua: { ...settings.opcua, security: 'None' },
      modbus: settings.modbus,
      connector: {
        ...settings.connector,
        note: 'the schema defaults are maxBatchSize 100 and maxDelayMs 1000',
      },
      connectorEnv: settings.connectorEnv,
      outbox: 'SQLite file (the edge set-up, ADR 0007) unless named PostgreSQL',
    },
    machine: {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model,
      memoryGb: round(totalmem() / 1024 ** 3, 1),
      node: process.version,
      loadAverage1m: round(loadavg()[0]),
      note:
        'connector-plc runs as `threadline serve connector-plc` (compiled) in a process of its ' +
        'own, as does each baseline; RSS and CPU are read from /proc. The simulators run in ' +
        'another process and this one counts what reaches the broker, all on the same cores ' +
        'as RabbitMQ (and PostgreSQL).',
    },
  };
}
