import { appendAudit, configLoadedEntry } from '@threadline/audit';
import { configFileFor, type ConnectorSystem } from '@threadline/connector-sdk/config';
import { withTransaction, type MessagingRuntime } from '@threadline/messaging';
import { existsSync, readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';

type Environment = Readonly<Record<string, string | undefined>>;

/** A configuration file a service read at start. */
export interface LoadedConfiguration {
  readonly service: string;
  readonly file: string;
}

/** A service's settings file: the variable naming it, else its default place (when present). */
const SETTINGS_FILES: Readonly<Record<string, { variable: string; defaultPath: string }>> = {
  orchestrator: { variable: 'ORCHESTRATOR_CONFIG', defaultPath: 'config/orchestrator.yaml' },
  traceability: { variable: 'TRACEABILITY_CONFIG', defaultPath: 'config/traceability.yaml' },
};

/**
 * The configuration files the named services read when they start, found as they find them:
 * a connector service's one file of its system in CONNECTORS_DIR, the orchestrator's and
 * traceability's settings files. Services that read none are left out.
 */
export function configurationFilesOf(
  names: readonly string[],
  env: Environment,
): LoadedConfiguration[] {
  const files: LoadedConfiguration[] = [];
  for (const service of names) {
    const settings = SETTINGS_FILES[service];
    if (settings !== undefined) {
      const explicit = env[settings.variable]?.trim();
      const file = resolve(explicit || settings.defaultPath);
      if (existsSync(file)) files.push({ service, file });
    } else if (service.startsWith('connector-')) {
      const system = service.slice('connector-'.length) as ConnectorSystem;
      const directory = resolve(env.CONNECTORS_DIR ?? 'connectors');
      files.push({ service, file: configFileFor(directory, system) });
    }
  }
  return files;
}

/**
 * One `config.loaded` audit entry per configuration file of the started services, in one
 * transaction: the file (relative to the working directory when inside it) and the SHA-256 of
 * its content, never the content (secrets are only ever named there as ${VARIABLES}).
 */
export async function auditConfigurationLoaded(
  runtime: MessagingRuntime,
  names: readonly string[],
  env: Environment,
): Promise<number> {
  const files = configurationFilesOf(names, env);
  if (files.length === 0) return 0;
  await withTransaction(runtime.dataSource, async (runner) => {
    for (const { service, file } of files) {
      const shown = relative(process.cwd(), file);
      await appendAudit(
        runner.manager,
        configLoadedEntry({
          service,
          file: shown.startsWith('..') ? file : shown,
          content: readFileSync(file),
        }),
      );
    }
  });
  return files.length;
}
