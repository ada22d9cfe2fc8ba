import { lotReportFixture } from './lot-report.fixture';
import { renderLotReportPdf } from './lot-report.pdf';

/** The text pdfkit drew: each `[<hex> kerning <hex> ...] TJ` decoded, one line per operator. */
function drawnText(pdf: Buffer): string {
  const source = pdf.toString('latin1');
  return [...source.matchAll(/\[((?:<[0-9a-f]*>|[-\d.\s])*)\] TJ/g)]
    .map(([, operands]) =>
      [...operands.matchAll(/<([0-9a-f]*)>/g)]
        .map(([, hex]) => Buffer.from(hex, 'hex').toString('latin1'))
        .join(''),
    )
    .join('\n');
}

describe('renderLotReportPdf', () => {
  let pdf: Buffer;
  let text: string;

  beforeAll(async () => {
    pdf = await renderLotReportPdf(lotReportFixture, { compress: false });
    text = drawnText(pdf);
  });

  it('is a complete PDF file', () => {
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.toString('latin1').trimEnd().endsWith('%%EOF')).toBe(true);
  });

  it('names the lot, the people, a measurement, the shipment and the recall scope', () => {
    expect(text).toContain('Lot report LOT-G1');
    expect(text).toContain('Operator: Jane Doe (u-17)');
    expect(text).toContain('Inspector: Omar Haddad (u-22)');
    expect(text).toContain('Parameters: barrelTempC=235, screwRpm=180, program=GR-STD');
    expect(text).toContain('Equipment: asset IMM-07, work center WC-MOLD');
    expect(text.split('\n')).toEqual(
      expect.arrayContaining(['moisture', '0.31', '0.2', 'OUT OF SPEC (above-usl)']),
    );
    expect(text.split('\n')).toEqual(expect.arrayContaining(['SHP-900', 'CUST-9', 'SO-555']));
    expect(text).toContain('Retest passed after re-drying');
    expect(text).toContain('NCR-77: rework at 2026-05-14T09:00:00Z approved by Anna Berg (u-5)');
    expect(text).toContain('2 affected lots (LOT-G1, LOT-H1)');
    expect(text).toContain('Page 1 of 2');
  });

  it('sets the document info from the report', () => {
    const source = pdf.toString('latin1');
    expect(source).toContain('(Lot report LOT-G1)');
    expect(source).toContain('(Threadline)');
    expect(source).toContain('(D:20260520120000Z)');
  });

  it('gives the same bytes for the same report', async () => {
    expect((await renderLotReportPdf(lotReportFixture, { compress: false })).equals(pdf)).toBe(
      true,
    );
    const compressed = await renderLotReportPdf(lotReportFixture);
    expect((await renderLotReportPdf(lotReportFixture)).equals(compressed)).toBe(true);
  });

  it('compresses its streams by default', async () => {
    const compressed = await renderLotReportPdf(lotReportFixture);
    expect(compressed.toString('latin1')).toContain('/FlateDecode');
    expect(drawnText(compressed)).toBe('');
    expect(compressed.length).toBeLessThan(pdf.length / 2);
  });
});
