import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { RuleViolation } from './cross-field.rules';

type RawMapping = string | { file: string };
type WithMapping = { mapping: unknown };

/**
 * Replaces every `mapping` (inline text or `{ file }` relative to the YAML file) with
 * `{ expression, file? }`. A mapping file that cannot be read is a problem naming it.
 */
export function resolveMappings(
  document: Record<string, unknown>,
  configFile: string,
): RuleViolation[] {
  const spec = document.spec as {
    inbound?: { polling?: WithMapping[]; webhooks?: WithMapping[] };
    outbound?: { commands?: WithMapping[] };
  };
  const lists: [string[], WithMapping[] | undefined][] = [
    [['spec', 'inbound', 'polling'], spec.inbound?.polling],
    [['spec', 'inbound', 'webhooks'], spec.inbound?.webhooks],
    [['spec', 'outbound', 'commands'], spec.outbound?.commands],
  ];
  const problems: RuleViolation[] = [];
  for (const [listPath, items] of lists) {
    (items ?? []).forEach((item, index) => {
      const raw = item.mapping as RawMapping;
      if (typeof raw === 'string') {
        item.mapping = { expression: raw };
        return;
      }
      const shown = join(dirname(configFile), raw.file);
      try {
        const expression = readFileSync(shown, 'utf8');
        if (expression.trim() === '') throw new Error('empty');
        item.mapping = { expression, file: resolve(shown) };
      } catch (error) {
        const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
        problems.push({
          path: [...listPath, index, 'mapping', 'file'],
          rule: `mapping file ${shown} ${missing ? 'does not exist' : 'cannot be read or is empty'}`,
        });
      }
    });
  }
  return problems;
}
