import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderConfigReference } from './config-reference';
import { connectorConfigSchema } from './connector-config.schema';

describe('the connector configuration reference', () => {
  const rendered = renderConfigReference(connectorConfigSchema().schema);

  it('is committed as generated (run `npm run gen:config-docs` after changing the schema)', () => {
    const committed = readFileSync(join(__dirname, '../../../../docs/connector-config.md'), 'utf8');
    expect(committed).toBe(rendered);
  });

  it('lists nested fields with their rule, requiredness and meaning', () => {
    expect(rendered).toContain(
      '| `spec.outbound.commands[].idempotency` | yes | one of `header`, `external-reference`, `none` |',
    );
    expect(rendered).toContain('| `spec.target.auth.password` | no | secret: give as ${ENV_VAR} |');
    expect(rendered).toContain(
      '| `spec.inbound.polling[].identity.factExpression` | no | string |',
    );
  });
});
