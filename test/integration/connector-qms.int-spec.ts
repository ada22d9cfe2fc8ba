import { randomUUID } from 'node:crypto';
import { CONNECTOR_QMS_SERVICE } from '../../apps/connector-qms/src';
import { buildEnvelope } from '@threadline/contracts';
import type { CloudEventEnvelope } from '@threadline/schema-registry';
import { eventually } from '@threadline/testing';
import { ConnectorHarness } from '../support/connector-harness';
import { metricValue } from '../support/metric-value';

const SOURCE = { plant: 'PLANT-01', system: 'threadline', connectorId: 'orchestrator' };
const NC_FALLBACK = 'nonconformances-fallback';

type Severity = 'minor' | 'major' | 'critical';
type SimNonconformance = { nc_number: string; affected_lots: string[]; change_seq: number };
type SimInspectionLot = { inspection_lot_number: string; material_lot: string };

const uniqueLot = () => `LOT-${randomUUID().slice(0, 8)}`;

function nonconformanceCreate(lotId: string, severity: Severity = 'major'): CloudEventEnvelope {
  return buildEnvelope({
    type: 'qms.nonconformance.create',
    data: {
      severity,
      lotIds: [lotId],
      defectCode: 'DIM-OOT-012',
      description: 'Bore diameter above the upper specification limit',
      detectedAt: new Date().toISOString(),
      assetId: 'PRESS-01',
    },
    subject: lotId,
    source: SOURCE,
    fact: { key: `test:${randomUUID()}:nc-create` },
  }) as unknown as CloudEventEnvelope;
}

function inspectionLotCreate(lotId: string): CloudEventEnvelope {
  return buildEnvelope({
    type: 'qms.inspection.lot.create',
    data: { lotId, origin: 'receipt' },
    subject: lotId,
    source: SOURCE,
    fact: { key: `test:${randomUUID()}:lot-create` },
  }) as unknown as CloudEventEnvelope;
}

/** Every answer of `type` the connector published for `command`. */
/** The resend sent with each command: either copy may be the one the inbox lets through. */
const resends = new Map<string, string>();

async function answersTo(harness: ConnectorHarness, type: string, command: CloudEventEnvelope) {
  const copies = new Set([command.id, resends.get(command.id)]);
  return (await harness.published(type)).filter((event) => copies.has(event.causationid));
}

/** Sends `command` and a resend of it (new id, same key), executes it directly, waits for both copies. */
async function deliverThreeTimes(harness: ConnectorHarness, command: CloudEventEnvelope) {
  const consumed = () => metricValue(harness.metrics.messagesConsumed, { type: command.type });
  const before = await consumed();
  const resend = { ...command, id: randomUUID() };
  resends.set(command.id, resend.id);
  await harness.send(command, resend);
  // As a redelivery after a crash between the QMS call and the commit would: straight in.
  const direct = await harness.host.execute(command);
  await eventually(async () => (await consumed()) - before >= 2, 'both copies consumed');
  return direct;
}

describe('connector-qms commands and polling against the QMS simulator (RabbitMQ, PostgreSQL)', () => {
  let harness: ConnectorHarness;
  const nonconformances = () =>
    Object.values(harness.simulator.state.qms.nonconformances) as SimNonconformance[];

  beforeAll(async () => {
    harness = await ConnectorHarness.start({
      service: CONNECTOR_QMS_SERVICE,
      // The fallback polls every 60 s in the example; 1 s keeps the restart test short.
      editConfig: (file, text) =>
        file === 'qms.yaml' ? replaceOnce(text, 'intervalSeconds: 60', 'intervalSeconds: 1') : text,
    });
  });

  afterAll(() => harness?.close());

  it('creates one nonconformance however often its command arrives, and answers once', async () => {
    const lot = uniqueLot();
    const command = nonconformanceCreate(lot);
    const direct = await deliverThreeTimes(harness, command);

    const created = nonconformances().filter((nc) => nc.affected_lots.includes(lot));
    expect(created).toHaveLength(1);
    expect(direct.data).toMatchObject({
      ncrId: created[0].nc_number,
      severity: 'major',
      lotIds: [lot],
      assetId: 'PRESS-01',
    });
    const answers = await answersTo(harness, 'quality.nonconformance.raised', command);
    expect(answers).toHaveLength(1);
    expect(answers[0]).toMatchObject({
      correlationid: command.correlationid,
      subject: created[0].nc_number,
      source: '/plants/PLANT-01/qms/qms',
      // The fact's own key, as the webhook and the fallback poll report it: consumers see one NC.
      idempotencykey: `qms:${created[0].nc_number}:raised`,
    });
    expect(direct.idempotencykey).toBe(answers[0].idempotencykey);
  });

  it('creates one inspection lot however often its command arrives, and answers once', async () => {
    const lot = uniqueLot();
    const command = inspectionLotCreate(lot);
    const direct = await deliverThreeTimes(harness, command);

    const lots = Object.values(harness.simulator.state.qms.inspectionLots) as SimInspectionLot[];
    const created = lots.filter((candidate) => candidate.material_lot === lot);
    expect(created).toHaveLength(1);
    expect(direct.data).toMatchObject({
      inspectionLotId: created[0].inspection_lot_number,
      lotId: lot,
      origin: 'receipt',
    });
    const answers = await answersTo(harness, 'quality.inspection.lot.created', command);
    expect(answers).toHaveLength(1);
    expect(answers[0]).toMatchObject({
      correlationid: command.correlationid,
      subject: created[0].inspection_lot_number,
      idempotencykey: direct.idempotencykey,
    });
  });

  it('resumes the nonconformance fallback from its cursor after a restart: no gap, no repeat', async () => {
    const raise = async () => {
      const body = { affected_lots: [uniqueLot()] };
      return (await harness.sim('POST', '/_sim/qms/nonconformances', body)) as SimNonconformance;
    };
    const raisedEvents = async (ncNumber: string) =>
      (await harness.published('quality.nonconformance.raised')).filter(
        (event) => event.idempotencykey === `qms:${ncNumber}:raised`,
      );
    const allPublished = async (ncs: SimNonconformance[]) => {
      for (const nc of ncs) if ((await raisedEvents(nc.nc_number)).length === 0) return false;
      return true;
    };

    const before = [await raise(), await raise()];
    await eventually(() => allPublished(before), 'the first NCs polled');
    await harness.stopService();
    const stored: { position: string }[] = await harness.runtime.dataSource.query(
      'SELECT position FROM connector_cursor WHERE connector = $1 AND stream = $2',
      ['qms', NC_FALLBACK],
    );
    expect(stored).toHaveLength(1);
    const after = [await raise(), await raise()];
    // What the stored cursor reads is exactly what was raised while the service was down.
    const page = (await harness.sim(
      'GET',
      `/qms/api/v1/nonconformances?cursor=${encodeURIComponent(stored[0].position)}`,
    )) as { data: SimNonconformance[] };
    expect(page.data.map((nc) => nc.nc_number)).toEqual(after.map((nc) => nc.nc_number));

    const logLength = harness.simulator.state.requestLog.qms.length;
    await harness.startService();
    await eventually(() => allPublished(after), 'the NCs raised during the restart polled');

    for (const nc of [...before, ...after])
      expect(await raisedEvents(nc.nc_number)).toHaveLength(1);
    const firstPoll = harness.simulator.state.requestLog.qms
      .slice(logLength)
      .find((request) => request.method === 'GET' && request.path.endsWith('/nonconformances'));
    expect(new URLSearchParams(firstPoll?.query).get('cursor')).toBe(stored[0].position);
  });
});

describe('connector-qms with broken mappings (RabbitMQ, PostgreSQL)', () => {
  let harness: ConnectorHarness;
  const RESULT_TYPE = 'quality.inspection.result.recorded';

  beforeAll(async () => {
    harness = await ConnectorHarness.start({
      service: CONNECTOR_QMS_SERVICE,
      editConfig: (file, text) => (file === 'qms.yaml' ? breakMappings(text) : text),
    });
  });

  afterAll(() => harness?.close());

  it('sends an inspection result its mapping cannot turn into a valid event to the ingress DLQ', async () => {
    const invalid = () =>
      metricValue(harness.metrics.mappingOutputInvalid, { connector: 'qms', type: RESULT_TYPE });
    const invalidBefore = await invalid();
    const lot = (await harness.sim('POST', '/_sim/qms/inspections', {
      material_lot: uniqueLot(),
      result: 'FAIL',
    })) as SimInspectionLot;
    const lettersFor = async () =>
      (await harness.deadLetters('ingress')).filter((letter) => {
        const rejection = JSON.parse(letter.body.toString('utf8')) as {
          payload: { inspection_lot_number?: string };
        };
        return rejection.payload.inspection_lot_number === lot.inspection_lot_number;
      });
    await eventually(async () => (await lettersFor()).length > 0, 'the ingress dead letter');

    const [letter] = await lettersFor();
    expect(letter.headers['x-error-kind']).toBe('validation');
    expect(String(letter.headers['x-error-message'])).toContain('/data/result');
    expect(JSON.parse(letter.body.toString('utf8'))).toMatchObject({
      connector: 'qms',
      eventType: RESULT_TYPE,
      reason: 'schema-invalid',
      rawOutput: { inspectionLotId: lot.inspection_lot_number, result: 'FAIL' },
    });
    // Two more polls of the loop: the first starts only after the rejecting one committed its
    // cursor, so it reads after the record; neither may reject or publish it again.
    const seen = harness.simulator.state.requestLog.qms.length;
    const pollsSince = () =>
      harness.simulator.state.requestLog.qms
        .slice(seen)
        .filter((request) => request.path.endsWith('/inspection-lots')).length;
    await eventually(() => pollsSince() >= 2, 'two more inspection polls', 10_000);
    expect(await lettersFor()).toHaveLength(1);
    expect((await invalid()) - invalidBefore).toBe(1);
    expect(await harness.published(RESULT_TYPE)).toHaveLength(0);
  });

  it('dead-letters a nonconformance the QMS refuses with 400 and reports integration.command.failed', async () => {
    const lot = uniqueLot();
    const command = nonconformanceCreate(lot, 'minor');
    await harness.send(command);
    await eventually(
      async () => (await answersTo(harness, 'integration.command.failed', command)).length > 0,
      'integration.command.failed',
    );

    const [failed] = await answersTo(harness, 'integration.command.failed', command);
    expect(failed).toMatchObject({
      correlationid: command.correlationid,
      data: { commandId: command.id, commandType: command.type, targetSystem: 'QMS', attempts: 1 },
    });
    expect(String(failed.data.error)).toContain('400');
    const letter = (await harness.deadLetters('commands')).find(
      (dead) => dead.messageId === command.id,
    );
    expect(letter?.headers['x-error-kind']).toBe('handler');
    const refused = harness.simulator.state.requestLog.qms.filter(
      (request) => request.method === 'POST' && request.path.endsWith('/nonconformances'),
    );
    expect(refused.map((request) => request.status)).toEqual([400]);
    const nonconformances = Object.values(
      harness.simulator.state.qms.nonconformances,
    ) as SimNonconformance[];
    expect(nonconformances.filter((nc) => nc.affected_lots.includes(lot))).toHaveLength(0);
    expect(await answersTo(harness, 'quality.nonconformance.raised', command)).toHaveLength(0);
  });
});

/**
 * Two mistakes a mapping author makes: the inspection result is passed through in the QMS's
 * upper case (the canonical enum is lower case), and the NC request uses a severity vocabulary
 * the QMS does not know ('LOW' for minor). Both mappings are inlined in the copied qms.yaml.
 */
function breakMappings(text: string): string {
  const inspection = [
    'mapping: |',
    '          { "inspectionLotId": inspection_lot_number, "lotId": material_lot, "result": result,',
    '            "measurements": [measurements.{ "characteristic": characteristic,',
    '              "value": measured_value, "unit": unit }], "inspectedAt": inspected_at }',
  ].join('\n');
  const create = [
    'mapping: |',
    '          {',
    '            "severity_level": $lookup({ "minor": "LOW", "major": "MAJOR", "critical": "CRITICAL" }, data.severity),',
    '            "affected_lots": data.lotIds, "defect_code": data.defectCode,',
    '            "description": data.description, "detected_at": data.detectedAt',
    '          }',
  ].join('\n');
  const edits: [string, string][] = [
    ['mapping:\n          file: mappings/qms-inspection-result.jsonata', inspection],
    ['mapping:\n          file: mappings/qms-nonconformance-create.jsonata', create],
    ['intervalSeconds: 10', 'intervalSeconds: 1'],
  ];
  return edits.reduce((edited, [from, to]) => replaceOnce(edited, from, to), text);
}

/** Replaces `from`, which must occur in `text`: a config edit that silently misses proves nothing. */
function replaceOnce(text: string, from: string, to: string): string {
  if (!text.includes(from)) throw new Error(`qms.yaml no longer contains ${JSON.stringify(from)}`);
  return text.replace(from, to);
}
