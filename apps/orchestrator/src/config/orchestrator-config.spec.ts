import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigurationError } from '@threadline/connector-sdk';
import { loadOrchestratorConfig, orchestratorConfig } from './orchestrator-config';

function fileWith(text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'orchestrator-config-')), 'orchestrator.yaml');
  writeFileSync(file, text);
  return file;
}

describe('orchestrator configuration', () => {
  it('lays a plant over the defaults over the built-in values, field by field', () => {
    const config = loadOrchestratorConfig({
      ORCHESTRATOR_CONFIG: fileWith(`apiVersion: threadline/v1
kind: Orchestrator
defaults:
  containment: { timeoutsSeconds: { hold: 10 } }
  assetLines: { PRESS-01: LINE-1 }
plants:
  P02:
    containment: { minSeverity: critical }
    assetLines: { WELD-02: LINE-2 }
`),
    });
    expect(config.timerPollSeconds).toBe(1);
    expect(config.plant('P01').containment).toEqual({
      minSeverity: 'major',
      retries: 1,
      timeoutsSeconds: { hold: 10, workOrder: 120, lineStop: 30, release: 60 },
    });
    expect(config.plant('P01').assetLines).toEqual({ 'PRESS-01': 'LINE-1' });
    expect(config.plant('P02').containment).toMatchObject({
      minSeverity: 'critical',
      timeoutsSeconds: { hold: 10 },
    });
    // A plant's asset map replaces the default one: lines are per plant.
    expect(config.plant('P02').assetLines).toEqual({ 'WELD-02': 'LINE-2' });
  });

  it('uses the built-in values without a file, and reads the shipped one', () => {
    expect(orchestratorConfig().plant('ANY').maintenance.downtimeMinutes).toBe(5);
    const shipped = loadOrchestratorConfig({
      ORCHESTRATOR_CONFIG: join(__dirname, '..', '..', '..', '..', 'config', 'orchestrator.yaml'),
    });
    expect(shipped.plant('PLANT-01').assetLines['PRESS-01']).toBe('LINE-1');
  });

  it('refuses a file naming every problem: file, field and rule', () => {
    const file = fileWith(`apiVersion: threadline/v1
kind: Orchestrator
timerPollSeconds: 0
defaults:
  containment: { minSeverity: severe, holdSeconds: 5 }
`);
    let error: unknown;
    try {
      loadOrchestratorConfig({ ORCHESTRATOR_CONFIG: file });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigurationError);
    const message = (error as Error).message;
    expect(message).toContain(`${file}: timerPollSeconds: must be > 0`);
    expect(message).toContain(`${file}: defaults.containment: unknown field 'holdSeconds'`);
    expect(message).toContain(`${file}: defaults.containment.minSeverity: must be equal to one of`);
  });

  it('names a file that is not there', () => {
    expect(() =>
      loadOrchestratorConfig({ ORCHESTRATOR_CONFIG: '/nowhere/orchestrator.yaml' }),
    ).toThrow(/orchestrator\.yaml: cannot be read/);
  });
});
