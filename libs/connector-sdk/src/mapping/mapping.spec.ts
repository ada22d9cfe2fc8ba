import { PermanentError, ThreadlineError } from '@threadline/core';
import { compileMapping } from './mapping';

describe('compileMapping', () => {
  it('rejects a syntax error as CONFIGURATION_INVALID naming the mapping, line and column', () => {
    const source = '{\n  "ncrId": nc.number,\n  "severity": $lowercase(}\n}';
    let thrown: unknown;
    try {
      compileMapping(source, 'mappings/qms-nonconformance.jsonata');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ThreadlineError);
    expect(thrown).toMatchObject({ code: 'CONFIGURATION_INVALID', retryable: false });
    const message = (thrown as Error).message;
    expect(message).toContain('mappings/qms-nonconformance.jsonata');
    expect(message).toMatch(/line 3, column \d+/);
    expect(message).toContain('"}"');
  });

  it('evaluates asynchronously with bindings and returns plain JSON', async () => {
    const mapping = compileMapping('{ "ids": items.id, "plant": $plant, "none": missing }', 'm');
    const output = await mapping.evaluate(
      { items: [{ id: 'A' }, { id: 'B' }] },
      { plant: 'PLANT-01' },
    );
    expect(output).toEqual({ ids: ['A', 'B'], plant: 'PLANT-01' });
    expect(Object.keys(output as object)).toEqual(['ids', 'plant']);
  });

  it('returns undefined when the mapping matches nothing', async () => {
    await expect(compileMapping('nothing.here', 'm').evaluate({})).resolves.toBeUndefined();
  });

  it('turns an evaluation error into a PermanentError naming the mapping and position', async () => {
    const mapping = compileMapping('$number(quantity)', 'mes/output');
    const failure = mapping.evaluate({ quantity: 'n/a' });
    await expect(failure).rejects.toBeInstanceOf(PermanentError);
    await expect(failure).rejects.toThrow(/^mapping mes\/output failed: D3030 at line 1, column/);
  });

  it('parses the source once and reuses it for every evaluation', async () => {
    const mapping = compileMapping('value * 2', 'double');
    const results = await Promise.all([1, 2, 3].map((value) => mapping.evaluate({ value })));
    expect(results).toEqual([2, 4, 6]);
  });
});
