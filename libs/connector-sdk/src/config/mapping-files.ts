import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { RuleViolation } from './cross-field.rules';

type RawMapping = string | { file: string };
type WithMapping = Record<string, unknown>;

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
  const lists: [string[], WithMapping[] | undefined, string[]][] = [
    [['spec', 'inbound', 'polling'], spec.inbound?.polling, ['mapping']],
    [['spec', 'inbound', 'webhooks'], spec.inbound?.webhooks, ['mapping']],
    [['spec', 'outbound', 'commands'], spec.outbound?.commands, ['mapping', 'result']],
  ];
  const problems: RuleViolation[] = [];
  for (const [listPath, items, fields] of lists) {
    (items ?? []).forEach((item, index) => {
      for (const field of fields) {
        const problem = resolveMapping(item, field, configFile);
        if (problem) problems.push({ path: [...listPath, index, field, 'file'], rule: problem });
      }
    });
  }
  return problems;
}

/** Resolves `item[field]` in place; returns the problem, if any. */
function resolveMapping(item: WithMapping, field: string, configFile: string): string | undefined {
  const raw = item[field] as RawMapping | undefined;
  if (raw === undefined) return undefined;
  if (typeof raw === 'string') {
    item[field] = { expression: raw };
    return undefined;
  }
  const shown = join(dirname(configFile), raw.file);
  try {
    const expression = readFileSync(shown, 'utf8');
    if (expression.trim() === '') throw new Error('empty');
    item[field] = { expression, file: resolve(shown) };
    return undefined;
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    return `mapping file ${shown} ${missing ? 'does not exist' : 'cannot be read or is empty'}`;
  }
}
