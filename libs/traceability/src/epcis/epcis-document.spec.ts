import type * as Epcis2 from 'epcis2.js/@types/epcis2.js';
import type { LotReport } from '../model';
import {
  lotReportFixture,
  receivedLotReportFixture,
  receivedLotWithOrdersFixture,
} from '../report/lot-report.fixture';
import { buildEpcisDocument, buildEpcisExport } from './epcis-document';
import type { EpcisObjectEvent, EpcisTransformationEvent } from './epcis-events';
import { EpcisOptionsError } from './lot-identifiers';

// The independent validator: epcis2.js and the EPCIS 2.0 JSON schema it ships. Its package.json
// does not point at its declarations (under @types/), so they are named here.
const { validateEpcisDocument, setup } = jest.requireActual<typeof Epcis2>('epcis2.js');

const GTINS = { 'RES-7': '09506000134352', 'HSG-4': '4006381333931' };

function events(report: LotReport, options = {}) {
  return buildEpcisDocument(report, options).epcisBody.eventList;
}

function ofStep(report: LotReport, bizStep: string, options = {}): EpcisObjectEvent[] {
  return events(report, options).filter(
    (event): event is EpcisObjectEvent => event.type === 'ObjectEvent' && event.bizStep === bizStep,
  );
}

function transformation(report: LotReport, orderId: string): EpcisTransformationEvent {
  return events(report).find(
    (event): event is EpcisTransformationEvent =>
      event.type === 'TransformationEvent' && event.transformationID.endsWith(`:${orderId}`),
  )!;
}

describe('buildEpcisDocument validated by epcis2.js', () => {
  afterEach(() => {
    setup({ checkExtensions: false });
  });

  it.each([
    ['a produced lot', lotReportFixture, {}],
    ['a received lot', receivedLotReportFixture, {}],
    ['GS1 Digital Link LGTINs', lotReportFixture, { gtinByMaterial: GTINS }],
    [
      'EPC class URNs',
      receivedLotReportFixture,
      { gtinByMaterial: GTINS, companyPrefix: '9506000' },
    ],
  ])('is a valid EPCIS 2.0 document for %s', (_name, report, options) => {
    const document = buildEpcisDocument(report, options);
    expect(validateEpcisDocument(document, false)).toEqual({ success: true, errors: [] });
  });

  it('declares the prefix of its extension fields in its context', () => {
    setup({ checkExtensions: true });
    const document = buildEpcisDocument(lotReportFixture);
    expect(validateEpcisDocument(document, false)).toEqual({ success: true, errors: [] });
    const undeclared = { ...document, '@context': [document['@context'][0]] };
    expect(validateEpcisDocument(undeclared, false)).toEqual({
      success: false,
      errors: ['Event contains unknown extension: threadline'],
    });
  });

  it('is rejected by the same validator when broken', () => {
    const document = buildEpcisDocument(lotReportFixture);
    const [first, ...rest] = document.epcisBody.eventList;
    const broken = (event: object) => ({ ...document, epcisBody: { eventList: [event, ...rest] } });
    const { eventTime: _eventTime, ...withoutTime } = first;
    const results = [
      validateEpcisDocument(broken(withoutTime), false),
      validateEpcisDocument(
        broken({ ...first, inputQuantityList: [{ epcClass: 'urn:x:1', quantity: 1, uom: 'kg' }] }),
        false,
      ),
      validateEpcisDocument(
        broken({ ...first, outputQuantityList: [{ epcClass: 'lot G1' }] }),
        false,
      ),
      validateEpcisDocument({ ...document, schemaVersion: undefined }, false),
    ];
    const events = 'EPCISDocument/epcisBody/eventList/0';
    expect(results).toEqual([
      { success: false, errors: [`${events} should have required property 'eventTime'`] },
      {
        success: false,
        errors: [`${events}/inputQuantityList/0/uom should match pattern "^[A-Z0-9]{2,3}$"`],
      },
      {
        success: false,
        errors: [`${events}/outputQuantityList/0/epcClass should match format "uri"`],
      },
      { success: false, errors: ["EPCISDocument should have required property 'schemaVersion'"] },
    ]);
  });
});

describe('buildEpcisDocument events', () => {
  it('has one TransformationEvent per order, an inspection and a shipment, oldest first', () => {
    expect(
      events(lotReportFixture).map((e) => (e.type === 'ObjectEvent' ? e.bizStep : e.type)),
    ).toEqual(['TransformationEvent', 'inspecting', 'TransformationEvent', 'shipping']);
    expect(buildEpcisDocument(lotReportFixture)).toMatchObject({
      '@context': [
        'https://ref.gs1.org/standards/epcis/epcis-context.jsonld',
        { threadline: 'urn:threadline:epcis:' },
      ],
      type: 'EPCISDocument',
      schemaVersion: '2.0',
      creationDate: '2026-05-20T12:00:00Z',
    });
  });

  it('lists what each order consumed and declared, in UN/CEFACT units', () => {
    expect(transformation(lotReportFixture, 'WO-100')).toMatchObject({
      eventTime: '2026-05-14T06:15:00.000Z',
      eventTimeZoneOffset: '+02:00',
      inputQuantityList: [
        { epcClass: 'urn:threadline:lot:LOT-R1', quantity: 120, uom: 'KGM' },
        { epcClass: 'urn:threadline:lot:LOT-P9', quantity: 2.5, uom: 'KGM' },
      ],
      outputQuantityList: [{ epcClass: 'urn:threadline:lot:LOT-G1', quantity: 118, uom: 'KGM' }],
      transformationID: 'urn:threadline:order:WO-100',
      readPoint: { id: 'urn:threadline:asset:EXT-02' },
      bizLocation: { id: 'urn:threadline:plant:PLANT-01' },
      bizTransactionList: [{ type: 'prodorder', bizTransaction: 'urn:threadline:order:WO-100' }],
    });
    // WO-200 declared LOT-H1 off this lot's timeline: its yield gives the output quantity.
    expect(transformation(lotReportFixture, 'WO-200')).toMatchObject({
      eventTime: '2026-05-15T12:30:00.000Z',
      inputQuantityList: [{ epcClass: 'urn:threadline:lot:LOT-G1', quantity: 100, uom: 'KGM' }],
      outputQuantityList: [{ epcClass: 'urn:threadline:lot:LOT-H1', quantity: 400, uom: 'H87' }],
      readPoint: { id: 'urn:threadline:asset:IMM-07' },
    });
  });

  it('records the inspection with its result, measurements and limits', () => {
    expect(ofStep(lotReportFixture, 'inspecting')).toEqual([
      expect.objectContaining({
        eventTime: '2026-05-14T07:05:00.000Z',
        eventTimeZoneOffset: '+02:00',
        action: 'OBSERVE',
        disposition: 'non_conformant',
        quantityList: [{ epcClass: 'urn:threadline:lot:LOT-G1' }],
        readPoint: { id: 'urn:threadline:asset:LAB-MFI-1' },
        'threadline:inspectionLot': 'urn:threadline:inspection-lot:IL-300',
        'threadline:result': 'fail',
        'threadline:measurements': [
          expect.objectContaining({
            'threadline:characteristic': 'meltFlowIndex',
            'threadline:specStatus': 'in-spec',
          }),
          {
            'threadline:characteristic': 'moisture',
            'threadline:value': 0.31,
            'threadline:unit': '%',
            'threadline:usl': 0.2,
            'threadline:specStatus': 'above-usl',
          },
        ],
      }),
    ]);
  });

  it('ships to the customer against the sales order, in transit', () => {
    expect(ofStep(lotReportFixture, 'shipping')).toEqual([
      expect.objectContaining({
        eventTime: '2026-05-18T06:00:00.000Z',
        eventTimeZoneOffset: '+00:00',
        action: 'OBSERVE',
        disposition: 'in_transit',
        quantityList: [{ epcClass: 'urn:threadline:lot:LOT-H1', quantity: 250, uom: 'H87' }],
        bizTransactionList: [
          { type: 'poc', bizTransaction: 'urn:threadline:sales-order:SO-555' },
          { type: 'desadv', bizTransaction: 'urn:threadline:shipment:SHP-900' },
        ],
        destinationList: [{ type: 'owning_party', destination: 'urn:threadline:customer:CUST-9' }],
      }),
    ]);
  });

  it("exports an order far from the lot from the genealogy's record of its declarations", () => {
    const exported = buildEpcisExport(receivedLotWithOrdersFixture);
    expect(exported.omittedOrders).toEqual([]);
    const far = exported.document.epcisBody.eventList.filter(
      (event) =>
        event.type === 'TransformationEvent' &&
        (event as { transformationID?: string }).transformationID === 'urn:threadline:order:WO-200',
    );
    expect(far).toEqual([
      expect.objectContaining({
        eventTime: '2026-05-15T10:00:00.000Z',
        inputQuantityList: [{ epcClass: 'urn:threadline:lot:LOT-G1', quantity: 100, uom: 'KGM' }],
        outputQuantityList: [{ epcClass: 'urn:threadline:lot:LOT-H1', quantity: 250, uom: 'H87' }],
      }),
    ]);
  });

  it('receives a lot from its supplier against the purchase order', () => {
    const exported = buildEpcisExport(receivedLotReportFixture);
    expect(exported.document.epcisBody.eventList).toHaveLength(4);
    expect(exported.omittedOrders).toEqual(['WO-200']);
    expect(ofStep(receivedLotReportFixture, 'receiving')).toEqual([
      expect.objectContaining({
        eventTime: '2026-05-12T05:30:00.000Z',
        eventTimeZoneOffset: '+02:00',
        quantityList: [{ epcClass: 'urn:threadline:lot:LOT-R1', quantity: 500, uom: 'KGM' }],
        bizTransactionList: [
          { type: 'po', bizTransaction: 'urn:threadline:purchase-order:PO-4711' },
          { type: 'cert', bizTransaction: 'urn:threadline:certificate:COA-118' },
        ],
        sourceList: [{ type: 'owning_party', source: 'urn:threadline:supplier:SUP-3' }],
      }),
    ]);
    expect(transformation(receivedLotReportFixture, 'WO-100').inputQuantityList).toEqual([
      { epcClass: 'urn:threadline:lot:LOT-R1', quantity: 120, uom: 'KGM' },
    ]);
  });

  it('uses LGTINs for materials with a GTIN', () => {
    const shipment = ofStep(lotReportFixture, 'shipping')[0];
    expect(events(lotReportFixture, { gtinByMaterial: GTINS })).toContainEqual({
      ...shipment,
      quantityList: [
        { epcClass: 'https://id.gs1.org/01/04006381333931/10/LOT-H1', quantity: 250, uom: 'H87' },
      ],
      eventID: expect.not.stringMatching(shipment.eventID),
    });
  });
});

describe('buildEpcisDocument reproducibility and options', () => {
  it('exports the same document for the same report, with distinct event ids', () => {
    const document = buildEpcisDocument(lotReportFixture);
    expect(buildEpcisDocument(lotReportFixture)).toEqual(document);
    const ids = document.epcisBody.eventList.map((event) => event.eventID);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('gives an order seen with other inputs another event id', () => {
    const fromG1 = transformation(lotReportFixture, 'WO-100');
    const fromR1 = transformation(receivedLotReportFixture, 'WO-100');
    expect(fromR1.eventID).not.toBe(fromG1.eventID);
  });

  it('applies the time zone offset and creation date given', () => {
    const document = buildEpcisDocument(lotReportFixture, {
      timeZoneOffset: '+01:00',
      creationDate: '2026-05-21T00:00:00Z',
    });
    expect(document.creationDate).toBe('2026-05-21T00:00:00Z');
    expect(ofStep(lotReportFixture, 'shipping', { timeZoneOffset: '+01:00' })).toEqual([
      expect.objectContaining({
        eventTime: '2026-05-18T06:00:00.000Z',
        eventTimeZoneOffset: '+01:00',
      }),
    ]);
    expect(() => buildEpcisDocument(lotReportFixture, { timeZoneOffset: '2h' })).toThrow(
      new EpcisOptionsError('timeZoneOffset', "must be '+hh:mm' or '-hh:mm' within ±14:00"),
    );
  });

  it('leaves out the quantity of a unit with no UN/CEFACT code', () => {
    const report: LotReport = {
      ...lotReportFixture,
      recall: {
        ...lotReportFixture.recall,
        shipments: [
          { ...lotReportFixture.recall.shipments[0], quantity: { value: 3, uom: 'pallet' } },
        ],
      },
    };
    expect(ofStep(report, 'shipping')[0].quantityList).toEqual([
      { epcClass: 'urn:threadline:lot:LOT-H1' },
    ]);
    expect(ofStep(report, 'shipping', { uomCodes: { pallet: 'PX' } })[0].quantityList).toEqual([
      { epcClass: 'urn:threadline:lot:LOT-H1', quantity: 3, uom: 'PX' },
    ]);
  });
});
