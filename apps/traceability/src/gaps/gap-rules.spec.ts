import { gapIdOf } from './gap-rules';

describe('gapIdOf', () => {
  const ID = /^[A-Za-z0-9][A-Za-z0-9._:/-]{0,63}$/;

  it('reads as rule and subject when that is an Id', () => {
    expect(gapIdOf('output-without-consumption', 'PO-1')).toBe('GAP-OWC-PO-1');
    expect(gapIdOf('shipment-of-held-lot', 'SHP-1/LOT-9')).toBe('GAP-SHL-SHP-1/LOT-9');
  });

  it('digests a subject too long for an Id, deterministically and per rule', () => {
    const subject = `SHP-${'9'.repeat(60)}/LOT-${'7'.repeat(60)}`;
    const id = gapIdOf('shipment-of-held-lot', subject);
    expect(id).toMatch(ID);
    expect(id).toBe(gapIdOf('shipment-of-held-lot', subject));
    expect(id).not.toBe(gapIdOf('shipment-of-held-lot', `${subject}x`));
    expect(gapIdOf('output-without-parent', subject)).toMatch(/^GAP-OWP-[0-9a-f]{40}$/);
  });
});
