import type { ConnectorConfig, TargetSettings } from './connector-config.types';
import { checkConfigRules, CONNECTOR_CONFIG_RULES } from './cross-field.rules';

const mapping = { expression: '$' };

function config(spec: Partial<ConnectorConfig['spec']> = {}): ConnectorConfig {
  return {
    apiVersion: 'threadline/v1',
    kind: 'Connector',
    metadata: { name: 'test', plant: 'P1' },
    spec: {
      system: 'qms',
      adapter: 'qms-rest',
      target: { baseUrl: 'http://127.0.0.1:4000', timeoutMs: 5000 },
      ...spec,
    },
  };
}

function withAuth(auth: NonNullable<TargetSettings['auth']>): ConnectorConfig {
  return config({ target: { baseUrl: 'http://127.0.0.1:4000', timeoutMs: 5000, auth } });
}

function describeViolations(target: ConnectorConfig): string[] {
  return checkConfigRules(target).map(
    (violation) => `${violation.path.join('.')}: ${violation.rule}`,
  );
}

describe('cross-field rules', () => {
  it('have distinct names', () => {
    const names = CONNECTOR_CONFIG_RULES.map((rule) => rule.name);
    expect(new Set(names).size).toBe(names.length);
  });

  it('accept a configuration without auth, inbound or outbound', () => {
    expect(checkConfigRules(config())).toEqual([]);
  });

  it.each([
    [{ type: 'basic' as const }, ['username', 'password']],
    [{ type: 'basic' as const, username: 'u' }, ['password']],
    [{ type: 'bearer' as const }, ['token']],
    [{ type: 'api-key' as const, key: 'k' }, ['header']],
    [{ type: 'api-key' as const }, ['header', 'key']],
  ])('auth %j needs %j', (auth, missing) => {
    expect(describeViolations(withAuth(auth))).toEqual(
      missing.map(
        (field) => `spec.target.auth.${field}: is required when auth type is ${auth.type}`,
      ),
    );
  });

  it.each([
    { type: 'basic' as const, username: 'u', password: 'p' },
    { type: 'bearer' as const, token: 't' },
    { type: 'api-key' as const, header: 'X-API-Key', key: 'k' },
    { type: 'none' as const },
  ])('auth %j is complete', (auth) => {
    expect(checkConfigRules(withAuth(auth))).toEqual([]);
  });

  it('flag each repeated command type, pointing at the repeat and naming the first', () => {
    const command = (type: string, path: string) => ({
      type,
      request: { method: 'POST' as const, path },
      mapping,
      result: mapping,
      idempotency: 'header' as const,
    });
    const target = config({
      outbound: {
        commands: [
          command('mes.line.stop', '/a'),
          command('mes.line.resume', '/b'),
          command('mes.line.stop', '/c'),
          command('mes.line.stop', '/d'),
        ],
      },
    });
    expect(describeViolations(target)).toEqual([
      "spec.outbound.commands.2.type: command type 'mes.line.stop' is already used by commands[0]; each must be unique",
      "spec.outbound.commands.3.type: command type 'mes.line.stop' is already used by commands[0]; each must be unique",
    ]);
  });

  it('flag repeated webhook paths and polling names, but not a polling name equal to a webhook name', () => {
    const webhook = (name: string, path: string) => ({
      name,
      path,
      secret: 's',
      toleranceSeconds: 300,
      mapping,
      eventType: 'a.b',
    });
    const polling = (name: string) => ({
      name,
      resource: '/r',
      intervalSeconds: 60,
      cursorField: 'updatedAt',
      mapping,
      eventType: 'a.b',
    });
    const target = config({
      inbound: {
        webhooks: [webhook('ncr', '/hooks/ncr'), webhook('ncr-2', '/hooks/ncr')],
        polling: [polling('ncr'), polling('lots'), polling('lots')],
      },
    });
    expect(describeViolations(target)).toEqual([
      "spec.inbound.polling.2.name: polling name 'lots' is already used by polling[1]; each must be unique",
      "spec.inbound.webhooks.1.path: webhook path '/hooks/ncr' is already used by webhooks[0]; each must be unique",
    ]);
  });

  it('flag a retry whose first delay exceeds its longest delay', () => {
    const target = config({
      target: {
        baseUrl: 'http://127.0.0.1:4000',
        timeoutMs: 5000,
        retry: { maxAttempts: 3, initialDelayMs: 2000, maxDelayMs: 1000 },
      },
    });
    expect(describeViolations(target)).toEqual([
      'spec.target.retry.initialDelayMs: must not exceed maxDelayMs (1000)',
    ]);
  });
});
