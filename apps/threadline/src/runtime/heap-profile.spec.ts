import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getHeapStatistics } from 'node:v8';
import { parse } from 'yaml';
import { EDGE_HEAP_FLAGS, EDGE_PROCESS_ENV, applyHeapProfile, heapFlagsFor } from './heap-profile';

describe('heap profile of threadline serve', () => {
  it('gives connector-plc alone the edge profile, wherever the options stand', () => {
    expect(heapFlagsFor(['serve', 'connector-plc'])).toEqual(EDGE_HEAP_FLAGS);
    expect(heapFlagsFor(['serve', '--metrics-port', '0', 'connector-plc'])).toEqual(
      EDGE_HEAP_FLAGS,
    );
    expect(heapFlagsFor(['serve', 'connector-plc', '--metrics-port', '9464'])).toEqual(
      EDGE_HEAP_FLAGS,
    );
  });

  it('keeps V8 defaults for other services, an all-in-one process and other commands', () => {
    expect(heapFlagsFor(['serve', 'event-log'])).toEqual([]);
    expect(heapFlagsFor(['serve', 'connector-plc', 'traceability'])).toEqual([]);
    expect(heapFlagsFor(['serve'])).toEqual([]);
    expect(heapFlagsFor(['connectors', 'validate', 'connector-plc'])).toEqual([]);
  });

  it('sets flags that do not cap the heap', () => {
    const limit = getHeapStatistics().heap_size_limit;
    expect(applyHeapProfile(['serve', 'connector-plc'])).toEqual(EDGE_HEAP_FLAGS);
    expect(getHeapStatistics().heap_size_limit).toBe(limit);
  });

  it('is what the deployment starts connector-plc with', () => {
    const compose = parse(
      readFileSync(join(__dirname, '..', '..', '..', '..', 'deploy', 'docker-compose.yml'), 'utf8'),
      { merge: true },
    ) as { services: Record<string, { command: string[]; environment: Record<string, unknown> }> };
    const service = compose.services['connector-plc'];
    expect(service.command).toEqual(['serve', 'connector-plc']);
    expect(service.environment).toMatchObject(EDGE_PROCESS_ENV);
  });
});
