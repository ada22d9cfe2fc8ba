import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { MetricsRegistry } from './metrics.registry';

/**
 * The alert rules in deploy/ name metrics by string; a renamed metric would silence an alert
 * without any error. Every metric a rule uses must exist in the registry.
 */
describe('deploy/prometheus alert rules', () => {
  const file = join(__dirname, '..', '..', '..', 'deploy', 'prometheus', 'threadline-alerts.yml');
  const rules = (
    parse(readFileSync(file, 'utf8')) as { groups: { rules: { alert: string; expr: string }[] }[] }
  ).groups.flatMap((group) => group.rules);

  it('has rules', () => {
    expect(rules.length).toBeGreaterThanOrEqual(5);
  });

  it('uses only metrics the registry defines', async () => {
    const exposed = new Set(
      [...(await new MetricsRegistry().text()).matchAll(/^# TYPE (\S+) /gm)].map(
        (match) => match[1],
      ),
    );
    for (const rule of rules) {
      const used = [...rule.expr.matchAll(/threadline_[a-z_]+/g)].map((m) =>
        m[0].replace(/_(bucket|sum|count)$/, ''),
      );
      expect(used.length).toBeGreaterThan(0);
      for (const metric of used)
        expect({ rule: rule.alert, metric, exists: exposed.has(metric) }).toEqual({
          rule: rule.alert,
          metric,
          exists: true,
        });
    }
  });
});
