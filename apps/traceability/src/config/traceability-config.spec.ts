import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigurationError } from '@threadline/connector-sdk';
import { loadTraceabilityConfig, traceabilityConfig } from './traceability-config';

function fileWith(text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'trace-config-')), 'traceability.yaml');
  writeFileSync(file, text);
  return file;
}

describe('traceability configuration', () => {
  it('merges a plant over the defaults over the built-in values, field by field', () => {
    const config = loadTraceabilityConfig({
      TRACEABILITY_CONFIG: fileWith(`apiVersion: threadline/v1
kind: Traceability
defaults:
  inspectionRequired: [RESIN]
  gapWindowsMinutes: { outputWithoutParent: 5 }
plants:
  P02:
    holdPropagation: false
    gapWindowsMinutes: { receiptWithoutInspection: 30 }
`),
    });
    expect(config.gapSweepSeconds).toBe(60);
    expect(config.plant('P01')).toEqual({
      holdPropagation: true,
      inspectionRequired: ['RESIN'],
      gapWindowsMinutes: {
        outputWithoutConsumption: 60,
        consumptionOfUnknownLot: 60,
        receiptWithoutInspection: 240,
        outputWithoutParent: 5,
      },
    });
    expect(config.plant('P02')).toMatchObject({
      holdPropagation: false,
      inspectionRequired: ['RESIN'],
      gapWindowsMinutes: { receiptWithoutInspection: 30, outputWithoutParent: 5 },
    });
  });

  it('refuses an invalid file naming the field and the rule', () => {
    const file = fileWith(`apiVersion: threadline/v1
kind: Traceability
defaults:
  holdPropagaton: true
  gapWindowsMinutes: { outputWithoutParent: -1 }
`);
    const load = () => loadTraceabilityConfig({ TRACEABILITY_CONFIG: file });
    expect(load).toThrow(ConfigurationError);
    expect(load).toThrow(/defaults: unknown field 'holdPropagaton'/);
    expect(load).toThrow(/defaults\.gapWindowsMinutes\.outputWithoutParent: must be >= 0/);
  });

  it('an explicitly named file that is missing is an error; no file at the default place is the defaults', () => {
    expect(() => loadTraceabilityConfig({ TRACEABILITY_CONFIG: '/nonexistent/t.yaml' })).toThrow(
      /t\.yaml: cannot be read/,
    );
    expect(traceabilityConfig().plant('ANY').holdPropagation).toBe(true);
  });

  it('the example configuration in config/ is valid', () => {
    const config = loadTraceabilityConfig({ TRACEABILITY_CONFIG: 'config/traceability.yaml' });
    expect(config.plant('P01').inspectionRequired).toContain('RESIN-PA66');
  });
});
