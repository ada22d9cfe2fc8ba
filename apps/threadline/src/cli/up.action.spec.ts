import { ALL_IN_ONE_SERVICES, portInUse } from './up.action';
import { SERVICE_NAMES } from '../services/service-names';

const inUse = (port: number) =>
  Object.assign(new Error(`listen EADDRINUSE: address already in use 0.0.0.0:${port}`), {
    code: 'EADDRINUSE',
    port,
  });

describe('threadline up', () => {
  it('runs every known service but connector-plc (which needs a trusted OPC UA server)', () => {
    expect([...ALL_IN_ONE_SERVICES, 'connector-plc'].sort()).toEqual([...SERVICE_NAMES].sort());
  });

  it.each([
    [3000, {}, 'PORT'],
    [3100, {}, 'TRACEABILITY_PORT'],
    [8081, {}, 'WEBHOOK_PORT'],
    [9464, {}, 'METRICS_PORT'],
    [5555, { PORT: '5555' }, 'PORT'],
  ])('names the variable of port %s in use', (port, env, variable) => {
    expect(portInUse(inUse(port), env)?.message).toBe(
      `port ${port} is in use (${variable}): set ${variable} to a free port, or 0 for any`,
    );
  });

  it('says only the port when no variable sets it, and leaves other errors alone', () => {
    expect(portInUse(inUse(1234), {})?.message).toBe('port 1234 is in use');
    expect(portInUse(new Error('boom'), {})).toBeUndefined();
  });
});
