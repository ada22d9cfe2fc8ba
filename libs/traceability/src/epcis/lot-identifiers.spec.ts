import {
  EpcisOptionsError,
  eventId,
  gs1CheckDigit,
  lgtin,
  lotIdentifiers,
  normaliseGtin,
  uomCode,
  uuidV5,
} from './lot-identifiers';

describe('lotIdentifiers', () => {
  it('names lots and other objects with private URNs by default', () => {
    const ids = lotIdentifiers();
    expect(ids.lotClass('LOT-R1', 'RES-7')).toBe('urn:threadline:lot:LOT-R1');
    expect(ids.lotClass('LOT-R1', null)).toBe('urn:threadline:lot:LOT-R1');
    expect(ids.uri('order', 'WO-100')).toBe('urn:threadline:order:WO-100');
    expect(ids.uri('lot', 'B/2026:07')).toBe('urn:threadline:lot:B/2026:07');
    expect(ids.uri('customer', 'Müller & Co')).toBe(
      'urn:threadline:customer:M%C3%BCller%20%26%20Co',
    );
  });

  it('puts private URNs under the configured namespace', () => {
    const ids = lotIdentifiers({ namespace: 'urn:threadline:acme' });
    expect(ids.lotClass('LOT-R1', null)).toBe('urn:threadline:acme:lot:LOT-R1');
  });

  it('gives lots of materials with a GTIN a GS1 Digital Link LGTIN', () => {
    const ids = lotIdentifiers({ gtinByMaterial: { 'RES-7': '09506000134352' } });
    expect(ids.lotClass('LOT-R1', 'RES-7')).toBe('https://id.gs1.org/01/09506000134352/10/LOT-R1');
    expect(ids.lotClass('B/7', 'RES-7')).toBe('https://id.gs1.org/01/09506000134352/10/B%2F7');
    expect(ids.lotClass('LOT-G1', 'GRN-1')).toBe('urn:threadline:lot:LOT-G1');
  });

  it('keeps the private URN for lot ids longer than the 20 characters of GS1 AI (10)', () => {
    const ids = lotIdentifiers({ gtinByMaterial: { 'RES-7': '09506000134352' } });
    const lotId = 'LOT-2026-05-12-000001';
    expect(lotId).toHaveLength(21);
    expect(ids.lotClass(lotId, 'RES-7')).toBe(`urn:threadline:lot:${lotId}`);
  });

  it('writes LGTINs as EPC class URNs when the GTIN carries the company prefix', () => {
    const ids = lotIdentifiers({
      companyPrefix: '9506000',
      gtinByMaterial: { 'RES-7': '09506000134352', 'PIG-2': '4006381333931' },
    });
    expect(ids.lotClass('LOT-R1', 'RES-7')).toBe('urn:epc:class:lgtin:9506000.013435.LOT-R1');
    expect(ids.lotClass('LOT-P9', 'PIG-2')).toBe('https://id.gs1.org/01/04006381333931/10/LOT-P9');
    expect(lgtin('09506000134352', 'B/7', '9506000')).toBe(
      'urn:epc:class:lgtin:9506000.013435.B%2F7',
    );
  });

  it.each([
    [
      { namespace: 'threadline' },
      'namespace',
      "namespace: must be a URN prefix like 'urn:threadline:acme'",
    ],
    [{ companyPrefix: '12345' }, 'companyPrefix', 'companyPrefix: must be 6 to 12 digits'],
    [
      { gtinByMaterial: { 'RES-7': '09506000134353' } },
      'gtinByMaterial.RES-7',
      'gtinByMaterial.RES-7: check digit of GTIN 09506000134353 is wrong',
    ],
    [
      { gtinByMaterial: { 'RES-7': '95060001343' } },
      'gtinByMaterial.RES-7',
      'gtinByMaterial.RES-7: a GTIN has 8, 12, 13 or 14 digits',
    ],
  ])('refuses %j naming the option', (options, field, message) => {
    expect(() => lotIdentifiers(options)).toThrow(EpcisOptionsError);
    expect(() => lotIdentifiers(options)).toThrow(
      expect.objectContaining({ field, message, code: 'CONFIGURATION_INVALID' }),
    );
  });
});

describe('GTINs', () => {
  it('computes GS1 check digits', () => {
    expect(gs1CheckDigit('0950600013435')).toBe(2);
    expect(gs1CheckDigit('400638133393')).toBe(1);
    expect(gs1CheckDigit('9638507')).toBe(4);
  });

  it('pads GTIN-8, -12 and -13 to 14 digits', () => {
    expect(normaliseGtin('96385074', 'gtin')).toBe('00000096385074');
    expect(normaliseGtin('4006381333931', 'gtin')).toBe('04006381333931');
    expect(normaliseGtin('09506000134352', 'gtin')).toBe('09506000134352');
  });
});

describe('uomCode', () => {
  it.each([
    ['kg', 'KGM'],
    ['KG', 'KGM'],
    ['g', 'GRM'],
    ['pcs', 'H87'],
    ['ea', 'H87'],
    ['l', 'LTR'],
    ['m', 'MTR'],
    ['KGM', 'KGM'],
    ['C62', 'C62'],
  ])('maps %s to %s', (uom, code) => {
    expect(uomCode(uom)).toBe(code);
  });

  it('knows no code for other units, unless given one', () => {
    expect(uomCode('bag')).toBeNull();
    expect(uomCode('kgs')).toBeNull();
    expect(uomCode('bag', { bag: 'BG' })).toBe('BG');
    expect(uomCode('pcs', { pcs: 'C62' })).toBe('C62');
  });
});

describe('event ids', () => {
  it('are RFC 9562 version 5 UUIDs', () => {
    // The RFC's own example: "www.example.com" in the DNS namespace.
    expect(uuidV5('www.example.com', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe(
      '2ed6657d-e927-568b-95e1-2665a8aea6a2',
    );
  });

  it('are the same for the same name and differ for another', () => {
    expect(eventId('receipt|e-001')).toBe(eventId('receipt|e-001'));
    expect(eventId('receipt|e-001')).not.toBe(eventId('receipt|e-002'));
    expect(eventId('receipt|e-001')).toMatch(
      /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });
});
