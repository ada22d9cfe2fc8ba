import { gatewaySettings } from './gateway.options';

describe('gateway settings', () => {
  it('defaults to port 3000 on every interface, connectors/, a 2 s probe cached 10 s', () => {
    expect(gatewaySettings({})).toEqual({
      port: 3000,
      host: '0.0.0.0',
      connectorsDir: 'connectors',
      probeTimeoutMs: 2000,
      probeCacheMs: 10_000,
    });
    expect(gatewaySettings({ PORT: '0', GATEWAY_HOST: '127.0.0.1' })).toMatchObject({
      port: 0,
      host: '127.0.0.1',
    });
  });

  it('refuses a value out of range, naming the variable and the rule', () => {
    expect(() => gatewaySettings({ PORT: '70000' })).toThrow(
      "PORT must be a whole number from 0 to 65535, got '70000'",
    );
    expect(() => gatewaySettings({ PORT: 'http' })).toThrow('PORT must be a whole number');
    expect(() => gatewaySettings({ GATEWAY_PROBE_TIMEOUT_MS: '0' })).toThrow(
      "GATEWAY_PROBE_TIMEOUT_MS must be a whole number from 1 to 60000, got '0'",
    );
  });
});
