import { connectorConfigSchema } from './connector-config.schema';
import { collectSecretPatterns, isSecretPath, redactSecrets } from './secret-fields';

describe('secret fields', () => {
  it('are the x-secret fields of the connector schema, found through $ref and array items', () => {
    expect(connectorConfigSchema().secretPatterns).toEqual(
      expect.arrayContaining([
        ['spec', 'target', 'auth', 'password'],
        ['spec', 'target', 'auth', 'token'],
        ['spec', 'target', 'auth', 'key'],
        ['spec', 'inbound', 'webhooks', '*', 'secret'],
      ]),
    );
    expect(connectorConfigSchema().secretPatterns).toHaveLength(4);
  });

  it('stop at recursive definitions and follow oneOf branches', () => {
    const schema = {
      $defs: {
        Node: {
          type: 'object',
          properties: { child: { $ref: '#/$defs/Node' }, pin: { 'x-secret': true } },
        },
      },
      oneOf: [{ properties: { root: { $ref: '#/$defs/Node' } } }],
    };
    expect(collectSecretPatterns(schema)).toEqual([['root', 'pin']]);
  });

  it('match array indexes only where the pattern has *', () => {
    const patterns = [['hooks', '*', 'secret']];
    expect(isSecretPath(['hooks', 3, 'secret'], patterns)).toBe(true);
    expect(isSecretPath(['hooks', 'x', 'secret'], patterns)).toBe(false);
    expect(isSecretPath(['hooks', 3], patterns)).toBe(false);
  });

  it('redact a copy and leave the original and absent fields as they were', () => {
    const original = { auth: { password: 'p', user: 'u' }, hooks: [{ secret: 's' }, {}] };
    const patterns = [
      ['auth', 'password'],
      ['hooks', '*', 'secret'],
    ];
    expect(redactSecrets(original, patterns)).toEqual({
      auth: { password: '***', user: 'u' },
      hooks: [{ secret: '***' }, {}],
    });
    expect(original.auth.password).toBe('p');
  });
});
