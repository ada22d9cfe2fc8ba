import { ThreadlineError } from '@threadline/core';
import type { ConnectorConfig } from '../config/connector-config.types';
import type { ConfigRule, RuleViolation } from '../config/cross-field.rules';
import type { ConnectorSpec } from './connector-spec.types';

/**
 * Connector specs by adapter name. A connector registers in one call; configuration checks,
 * the CLI and the host all look adapters up here.
 */
export class ConnectorRegistry {
  private readonly specs = new Map<string, ConnectorSpec>();

  constructor(specs: Iterable<ConnectorSpec> = []) {
    for (const spec of specs) this.register(spec);
  }

  register(spec: ConnectorSpec): this {
    if (this.specs.has(spec.adapter)) {
      throw new ThreadlineError(
        'CONFIGURATION_INVALID',
        `connector adapter '${spec.adapter}' is registered twice`,
      );
    }
    this.specs.set(spec.adapter, spec);
    return this;
  }

  get(adapter: string): ConnectorSpec | undefined {
    return this.specs.get(adapter);
  }

  /** The spec a configuration chose; throws when it is unknown (a checked config never is). */
  specFor(config: ConnectorConfig): ConnectorSpec {
    const spec = this.specs.get(config.spec.adapter);
    if (!spec) {
      throw new ThreadlineError(
        'CONFIGURATION_INVALID',
        `connector ${config.metadata.name}: unknown adapter '${config.spec.adapter}'`,
      );
    }
    return spec;
  }

  list(): ConnectorSpec[] {
    return [...this.specs.values()];
  }

  /** Configuration rules that need the registry: a known adapter and what it supports. */
  rules(): ConfigRule[] {
    return [{ name: 'adapter-capabilities', check: (config) => this.check(config) }];
  }

  private check(config: ConnectorConfig): RuleViolation[] {
    const { spec: settings } = config;
    const spec = this.specs.get(settings.adapter);
    if (!spec) {
      const known = [...this.specs.keys()].sort().join(', ');
      return [{ path: ['spec', 'adapter'], rule: `unknown adapter; known adapters: ${known}` }];
    }
    const problems: RuleViolation[] = [];
    if (spec.system !== settings.system) {
      problems.push({
        path: ['spec', 'system'],
        rule: `adapter ${spec.adapter} connects a ${spec.system} system, not ${settings.system}`,
      });
    }
    (settings.outbound?.commands ?? []).forEach((command, index) => {
      if (!(command.type in spec.commands)) {
        problems.push({
          path: ['spec', 'outbound', 'commands', index, 'type'],
          rule: `adapter ${spec.adapter} executes ${Object.keys(spec.commands).join(', ')}`,
        });
      }
    });
    const sources = [
      ...(settings.inbound?.polling ?? []).map(
        (source, index) => ['polling', source, index] as const,
      ),
      ...(settings.inbound?.webhooks ?? []).map(
        (hook, index) => ['webhooks', hook, index] as const,
      ),
    ];
    for (const [kind, source, index] of sources) {
      if (!spec.events.includes(source.eventType)) {
        problems.push({
          path: ['spec', 'inbound', kind, index, 'eventType'],
          rule: `adapter ${spec.adapter} produces ${spec.events.join(', ')}`,
        });
      }
    }
    for (const problem of spec.checkOptions?.(settings.options ?? {}) ?? []) {
      problems.push({ path: ['spec', 'options'], rule: problem });
    }
    return problems;
  }
}
