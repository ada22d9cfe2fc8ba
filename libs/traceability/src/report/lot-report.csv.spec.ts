import type { LotReport } from '../model';
import { LOT_REPORT_CSV_COLUMNS, renderLotReportCsv } from './lot-report.csv';
import { lotReportFixture } from './lot-report.fixture';

/** A strict RFC 4180 reader, to check the renderer's output from the reading side. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let cell = '';
  let quoted = false;
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index];
    if (quoted) {
      if (char === '"' && text[index + 1] === '"') {
        cell += '"';
        index += 1;
      } else if (char === '"') {
        quoted = false;
      } else {
        cell += char;
      }
    } else if (char === '"' && cell === '') {
      quoted = true;
    } else if (char === ',') {
      record.push(cell);
      cell = '';
    } else if (char === '\r' && text[index + 1] === '\n') {
      records.push([...record, cell]);
      record = [];
      cell = '';
      index += 1;
    } else {
      expect(char).not.toMatch(/["\r\n]/);
      cell += char;
    }
  }
  expect(record).toEqual([]);
  return records;
}

describe('renderLotReportCsv', () => {
  const csv = renderLotReportCsv(lotReportFixture);
  const records = parseCsv(csv);
  const lines = csv.split('\r\n');
  const section = (name: string) => records.filter((record) => record[0] === name);

  it('starts with the header row and gives every record the same eight columns', () => {
    expect(lines[0]).toBe('section,time,type,lotId,orderId,actor,equipment,detail');
    expect(LOT_REPORT_CSV_COLUMNS).toHaveLength(8);
    expect(records.every((record) => record.length === 8)).toBe(true);
    expect(csv.endsWith('\r\n')).toBe(true);
  });

  it('has one row per fact, section by section', () => {
    expect(records.map((record) => record[0])).toEqual([
      'section',
      'lot',
      ...Array<string>(8).fill('genealogy'),
      ...Array<string>(5).fill('timeline'),
      'measurement',
      'measurement',
      ...Array<string>(7).fill('timeline'),
      'hold',
      'disposition',
      'shipment',
      'recall',
    ]);
  });

  it('writes the lot header', () => {
    expect(lines[1]).toBe(
      'lot,2026-05-14T06:15:00Z,produced,LOT-G1,WO-100,,,Plant: PLANT-01; Material: GRN-1; ' +
        'Status: unrestricted since 2026-05-15T05:00:00Z; Quantity: 118 kg',
    );
  });

  it('writes both genealogy directions with depths, orders and quantities', () => {
    expect(section('genealogy').map((record) => record.slice(2).join('|'))).toEqual([
      'backward-node|LOT-G1||||depth 0, material GRN-1, status unrestricted',
      'backward-node|LOT-P9||||depth 1, material PIG-2, status unrestricted',
      'backward-node|LOT-R1||||depth 1, material RES-7, status unrestricted',
      'backward-edge|LOT-R1|WO-100|||LOT-R1 -> LOT-G1 by order WO-100, 120 kg',
      'backward-edge|LOT-P9|WO-100|||LOT-P9 -> LOT-G1 by order WO-100, 2.5 kg',
      'forward-node|LOT-G1||||depth 0, material GRN-1, status unrestricted',
      'forward-node|LOT-H1||||depth 1, material HSG-4, status unrestricted',
      'forward-edge|LOT-G1|WO-200|||LOT-G1 -> LOT-H1 by order WO-200, 100 kg',
    ]);
  });

  it('writes operator, equipment and parameters on the operation row', () => {
    expect(lines).toContain(
      'timeline,2026-05-14T06:10:00Z,production.operation.completed,,WO-100,operator: Jane Doe (u-17),' +
        '"asset EXT-02, work center WC-EXT","Operation 0010 of order WO-100 completed at work center ' +
        'WC-EXT; parameters: barrelTempC=235, screwRpm=180, program=GR-STD"',
    );
  });

  it('writes one row per measurement, typed by its spec status', () => {
    expect(section('measurement')).toEqual([
      [
        'measurement',
        '2026-05-14T07:05:00Z',
        'in-spec',
        'LOT-G1',
        'WO-100',
        'inspector: Omar Haddad (u-22)',
        'asset LAB-MFI-1',
        'meltFlowIndex 12.4 g/10min [LSL 10, USL 14, target 12] in spec',
      ],
      [
        'measurement',
        '2026-05-14T07:05:00Z',
        'above-usl',
        'LOT-G1',
        'WO-100',
        'inspector: Omar Haddad (u-22)',
        'asset LAB-MFI-1',
        'moisture 0.31 % [USL 0.2] OUT OF SPEC (above USL)',
      ],
    ]);
  });

  it('writes holds, dispositions, shipments and the recall summary', () => {
    expect(section('hold')[0]).toEqual([
      'hold',
      '2026-05-14T07:12:00Z',
      'released',
      'LOT-G1',
      '',
      'Anna Berg (u-5)',
      '',
      'HOLD-5 placed 2026-05-14T07:12:00Z by qms: Moisture out of spec (NCR-77); released ' +
        '2026-05-15T05:00:00Z by Anna Berg (u-5): Retest passed after re-drying',
    ]);
    expect(lines).toContain(
      'disposition,2026-05-14T09:00:00Z,rework,LOT-G1,,Anna Berg (u-5),,"NCR-77: Re-dry 4 h at 80 C, then retest"',
    );
    expect(lines).toContain(
      'shipment,2026-05-18T06:00:00Z,shipment,LOT-H1,,,,"Shipment SHP-900 to customer CUST-9 ' +
        '(sales order SO-555), 250 pcs, carrier DHL"',
    );
    expect(lines).toContain(
      'recall,2026-05-20T12:00:00Z,summary,LOT-G1,,,,"2 affected lots (LOT-G1, LOT-H1); ' +
        '1 on hand (LOT-G1); 1 shipments (SHP-900); 1 customers (CUST-9)"',
    );
  });

  it('neutralises formulas and keeps quotes and line breaks inside their cell', () => {
    const hold = lotReportFixture.lot.holds[0];
    const report: LotReport = {
      ...lotReportFixture,
      lot: {
        ...lotReportFixture.lot,
        timeline: [],
        holds: [
          {
            ...hold,
            active: true,
            reason: 'Seal "B"\nleaks',
            placedBy: { id: 'u-9', kind: 'user', name: '=HYPERLINK("http://evil","x")' },
          },
        ],
      },
    };
    const csv = renderLotReportCsv(report);
    expect(csv).toContain(`,"'=HYPERLINK(""http://evil"",""x"") (u-9)",`);
    const row = parseCsv(csv).find((record) => record[0] === 'hold')!;
    expect(row[5]).toBe(`'=HYPERLINK("http://evil","x") (u-9)`);
    expect(row[7]).toBe(
      'HOLD-5 placed 2026-05-14T07:12:00Z by =HYPERLINK("http://evil","x") (u-9): Seal "B"\nleaks (NCR-77); active',
    );
  });
});
