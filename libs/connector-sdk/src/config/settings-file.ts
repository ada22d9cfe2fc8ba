import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020';
import { findSchemasDirectory } from '@threadline/schema-registry';
import { ConfigurationError } from './connector-config.errors';
import { readYamlValues } from './yaml-values';

export interface SettingsFileOptions {
  /** The file named by the service's environment variable, if set. */
  readonly explicit: string | undefined;
  /** Where the file is looked for otherwise (no file there: undefined, the built-in defaults). */
  readonly defaultPath: string;
  /** The schema's path under schemas/, e.g. `config/orchestrator/v1.json`. */
  readonly schema: string;
}

/**
 * A service's YAML settings file, validated against its JSON Schema (defaults applied): every
 * problem at once as a ConfigurationError naming the file, the field and the rule. Undefined
 * when no file was named and none is at the default place.
 */
export function loadSettingsFile<T>(options: SettingsFileOptions): T | undefined {
  const explicit = options.explicit?.trim();
  const file = resolve(explicit || options.defaultPath);
  if (!explicit && !existsSync(file)) return undefined;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigurationError([{ file, path: '', rule: `cannot be read: ${message(error)}` }]);
  }
  const read = readYamlValues(text);
  if ('problem' in read) {
    const { message: reason, line, column } = read.problem;
    throw new ConfigurationError([
      { file, path: '', rule: `YAML syntax error: ${reason}`, line, column },
    ]);
  }
  const content = read.values;
  const validate = compile(options.schema);
  if (!validate(content)) {
    throw new ConfigurationError(
      (validate.errors ?? []).map((error) => ({
        file,
        path: error.instancePath.slice(1).replaceAll('/', '.'),
        rule:
          error.keyword === 'additionalProperties'
            ? `unknown field '${String(error.params.additionalProperty)}'`
            : (error.message ?? 'is invalid'),
      })),
    );
  }
  return content as T;
}

function compile(schema: string) {
  const schemas = findSchemasDirectory();
  const ajv = new Ajv2020({ strict: true, allErrors: true, useDefaults: true });
  ajv.addSchema(readJson(join(schemas, 'common', 'v1.json')));
  return ajv.compile(readJson(join(schemas, schema)));
}

function readJson(file: string): Record<string, unknown> {
  return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
