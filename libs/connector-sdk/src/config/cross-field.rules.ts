import type { ConfigPath } from './config-path';
import type { ConnectorConfig, TargetAuth } from './connector-config.types';

export interface RuleViolation {
  path: ConfigPath;
  rule: string;
}

/** A check JSON Schema cannot say plainly, run on a configuration that passed the schema. */
export interface ConfigRule {
  name: string;
  check(config: ConnectorConfig): RuleViolation[];
}

const CREDENTIALS: Readonly<Record<TargetAuth['type'], readonly (keyof TargetAuth)[]>> = {
  basic: ['username', 'password'],
  bearer: ['token'],
  'api-key': ['header', 'key'],
  none: [],
};

const authCredentials: ConfigRule = {
  name: 'auth-credentials',
  check({ spec }) {
    const auth = spec.target?.auth;
    if (auth === undefined) return [];
    return CREDENTIALS[auth.type]
      .filter((field) => auth[field] === undefined)
      .map((field) => ({
        path: ['spec', 'target', 'auth', field],
        rule: `is required when auth type is ${auth.type}`,
      }));
  },
};

const uniqueCommandTypes: ConfigRule = {
  name: 'unique-command-types',
  check: ({ spec }) =>
    duplicates(
      spec.outbound?.commands ?? [],
      (command) => command.type,
      ['spec', 'outbound', 'commands'],
      'type',
      'command type',
    ),
};

const uniqueWebhookPaths: ConfigRule = {
  name: 'unique-webhook-paths',
  check: ({ spec }) =>
    duplicates(
      spec.inbound?.webhooks ?? [],
      (webhook) => webhook.path,
      ['spec', 'inbound', 'webhooks'],
      'path',
      'webhook path',
    ),
};

const uniquePollingNames: ConfigRule = {
  name: 'unique-polling-names',
  check: ({ spec }) =>
    duplicates(
      spec.inbound?.polling ?? [],
      (polling) => polling.name,
      ['spec', 'inbound', 'polling'],
      'name',
      'polling name',
    ),
};

const retryDelayOrder: ConfigRule = {
  name: 'retry-delay-order',
  check({ spec }) {
    const retry = spec.target?.retry;
    if (retry === undefined || retry.initialDelayMs <= retry.maxDelayMs) return [];
    return [
      {
        path: ['spec', 'target', 'retry', 'initialDelayMs'],
        rule: `must not exceed maxDelayMs (${retry.maxDelayMs})`,
      },
    ];
  },
};

/** The cross-field lint rules of a connector configuration, run in this order. */
export const CONNECTOR_CONFIG_RULES: readonly ConfigRule[] = [
  authCredentials,
  retryDelayOrder,
  uniquePollingNames,
  uniqueWebhookPaths,
  uniqueCommandTypes,
];

export function checkConfigRules(
  config: ConnectorConfig,
  rules: readonly ConfigRule[] = CONNECTOR_CONFIG_RULES,
): RuleViolation[] {
  return rules.flatMap((rule) => rule.check(config));
}

/** Every repeat of a key after its first use, pointing at the repeat and naming the first. */
function duplicates<Item>(
  items: readonly Item[],
  keyOf: (item: Item) => string,
  listPath: readonly string[],
  field: string,
  label: string,
): RuleViolation[] {
  const firstIndex = new Map<string, number>();
  const violations: RuleViolation[] = [];
  items.forEach((item, index) => {
    const key = keyOf(item);
    const first = firstIndex.get(key);
    if (first === undefined) firstIndex.set(key, index);
    else
      violations.push({
        path: [...listPath, index, field],
        rule: `${label} '${key}' is already used by ${listPath.at(-1)}[${first}]; each must be unique`,
      });
  });
  return violations;
}
