import { readFileSync } from 'node:fs';
import { isMap, isNode, isScalar, LineCounter, parseDocument, type Document } from 'yaml';
import { type ConfigPath, formatConfigPath } from './config-path';
import { ConfigurationError } from './connector-config.errors';
import { connectorConfigSchema } from './connector-config.schema';
import type {
  ConfigIssue,
  ConfigLoadResult,
  ConnectorConfig,
  LoadedConnectorConfig,
} from './connector-config.types';
import { checkConfigRules, type ConfigRule } from './cross-field.rules';
import { type Environment, interpolateEnvironment } from './env-interpolation';
import { resolveMappings } from './mapping-files';
import {
  isSecretPath,
  REDACTED,
  redactSecrets,
  secretFieldsIn,
  type SecretPattern,
} from './secret-fields';
import { describeSchemaErrors } from './schema-issue.formatter';
import { readYamlValues, type YamlProblem } from './yaml-values';

/** A YAML file parsed with the positions of its nodes. */
interface ParsedYaml {
  document: Document;
  lines: LineCounter;
}

/** Where a field sits in its YAML source, for messages: parsed again only when asked. */
interface SourceMap {
  file: string;
  locate(): ParsedYaml;
}

export interface LoadOptions {
  /** Checks beyond the schema's, e.g. the adapter registry's (known adapter, its commands). */
  rules?: readonly ConfigRule[];
}

/**
 * Reads, interpolates, validates and checks every file, and reports every problem of every file
 * at once. Messages never contain a value: secrets cannot leak through them.
 */
export function loadConnectorConfigs(
  files: readonly string[],
  env: Environment,
  options: LoadOptions = {},
): ConfigLoadResult {
  const result: ConfigLoadResult = { configs: [], errors: [] };
  for (const file of files) {
    const outcome = loadConnectorFile(file, env, options.rules ?? []);
    if (outcome.config === undefined) result.errors.push(...outcome.errors);
    else result.configs.push({ file, config: outcome.config });
  }
  const clashes = duplicateNames(result.configs);
  const clashing = new Set(clashes.map((issue) => issue.file));
  result.configs = result.configs.filter((loaded) => !clashing.has(loaded.file));
  result.errors.push(...clashes);
  return result;
}

/** For services at boot: every configuration, or a ConfigurationError listing every problem. */
export function loadConnectorConfigsOrThrow(
  files: readonly string[],
  env: Environment,
  options: LoadOptions = {},
): LoadedConnectorConfig[] {
  const { configs, errors } = loadConnectorConfigs(files, env, options);
  if (errors.length > 0) throw new ConfigurationError(errors);
  return configs;
}

/** A copy of the configuration with every `x-secret` field replaced by `***`, for logs. */
export function redactConfig<T extends ConnectorConfig | Record<string, unknown>>(config: T): T {
  return redactSecrets(config, connectorConfigSchema().secretPatterns);
}

function loadConnectorFile(
  file: string,
  env: Environment,
  rules: readonly ConfigRule[],
): { config?: ConnectorConfig; errors: ConfigIssue[] } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT' ? 'no such file' : `cannot be read (${code ?? 'unknown error'})`;
    return { errors: [{ file, path: '', rule: reason }] };
  }
  const read = readYamlValues(text);
  if ('problem' in read) return { errors: [yamlIssue(file, read.problem)] };
  // The document model of a large file is large (about 60 MB for 5,000 PLC items): the values
  // are read without one, and the file is parsed into one only to place problems (ADR 0011).
  let located: ParsedYaml | undefined;
  const source: SourceMap = { file, locate: () => (located ??= parseYaml(text)) };
  return checkDocument(read.values, source, env, rules);
}

function parseYaml(text: string): ParsedYaml {
  const lines = new LineCounter();
  const document = parseDocument(text, {
    lineCounter: lines,
    uniqueKeys: true,
    prettyErrors: true,
  });
  return { document, lines };
}

function checkDocument(
  raw: unknown,
  source: SourceMap,
  env: Environment,
  rules: readonly ConfigRule[],
): { config?: ConnectorConfig; errors: ConfigIssue[] } {
  const { validate, secretPatterns } = connectorConfigSchema();
  const interpolated = interpolateEnvironment(raw, env);
  const problems = [...interpolated.problems];
  const unresolved = new Set(problems.map((problem) => formatConfigPath(problem.path)));
  const document = interpolated.document;
  if (!validate(document)) {
    const schemaProblems = describeSchemaErrors(validate.errors ?? []);
    // A field whose variable is missing is already reported; its placeholder text is not a value.
    problems.push(
      ...schemaProblems.filter((problem) => !unresolved.has(formatConfigPath(problem.path))),
    );
  } else {
    const config = document as ConnectorConfig;
    problems.push(...secretsInTheFile(raw, secretPatterns));
    problems.push(...checkConfigRules(config), ...rules.flatMap((rule) => rule.check(config)));
    problems.push(...resolveMappings(config as never, source.file));
  }
  const secrets = interpolated.substitutions
    .filter((substitution) => isSecretPath(substitution.path, secretPatterns))
    .map((substitution) => substitution.value);
  const errors = problems
    .map((problem) => issueAt(source, problem, scrub(problem.rule, secrets)))
    .sort(bySourceOrder);
  return errors.length === 0 ? { config: document as ConnectorConfig, errors } : { errors };
}

/** A secret given as `${VAR}` exactly: never written in the file, nor as a `${VAR:-default}`. */
const FROM_ENVIRONMENT = /^\$\{[A-Za-z_][A-Za-z0-9_]*\}$/;

function secretsInTheFile(raw: unknown, patterns: readonly SecretPattern[]) {
  return secretFieldsIn(raw, patterns)
    .filter(
      (field) => typeof field.value !== 'string' || !FROM_ENVIRONMENT.test(field.value.trim()),
    )
    .map((field) => ({
      path: field.path,
      rule: 'must come from the environment: give it as ${ENV_VAR} (the environment only, no default in the file)',
    }));
}

function issueAt(
  source: SourceMap,
  problem: { path: ConfigPath; atKey?: boolean },
  rule: string,
): ConfigIssue {
  const { path } = problem;
  const issue: ConfigIssue = { file: source.file, path: formatConfigPath(path), rule };
  const offset =
    (problem.atKey === true ? keyOffset(source, path) : undefined) ?? valueOffset(source, path);
  if (offset === undefined) return issue;
  const place = source.locate().lines.linePos(offset);
  return { ...issue, line: place.line, column: place.col };
}

/** Where the field's value starts, or its nearest existing parent (a required field is absent). */
function valueOffset(source: SourceMap, path: ConfigPath): number | undefined {
  for (let length = path.length; length >= 0; length--) {
    const node: unknown = source.locate().document.getIn(path.slice(0, length), true);
    if (isNode(node) && node.range) return node.range[0];
  }
  return undefined;
}

function keyOffset(source: SourceMap, path: ConfigPath): number | undefined {
  const parent: unknown = source.locate().document.getIn(path.slice(0, -1), true);
  if (!isMap(parent)) return undefined;
  const pair = parent.items.find((item) => isScalar(item.key) && item.key.value === path.at(-1));
  return isNode(pair?.key) ? pair.key.range?.[0] : undefined;
}

/** Later syntax errors are mostly echoes of the first; the first is the one to fix. */
function yamlIssue(file: string, problem: YamlProblem): ConfigIssue {
  const { message, line, column, more } = problem;
  const rest = more > 0 ? ` (${more} more error(s) after it, often caused by this one)` : '';
  return { file, path: '', rule: `YAML syntax error: ${message}${rest}`, line, column };
}

/** Issues of one file in the order they appear in it; those without a place last. */
function bySourceOrder(left: ConfigIssue, right: ConfigIssue): number {
  const leftLine = left.line ?? Number.MAX_SAFE_INTEGER;
  const rightLine = right.line ?? Number.MAX_SAFE_INTEGER;
  return leftLine !== rightLine ? leftLine - rightLine : (left.column ?? 0) - (right.column ?? 0);
}

/** Belt and braces: a secret value never appears in a message, whatever the rule said. */
function scrub(rule: string, secrets: readonly string[]): string {
  return secrets.reduce(
    (text, secret) => (secret === '' ? text : text.split(secret).join(REDACTED)),
    rule,
  );
}

function duplicateNames(configs: readonly LoadedConnectorConfig[]): ConfigIssue[] {
  const owners = new Map<string, string>();
  const issues: ConfigIssue[] = [];
  for (const { file, config } of configs) {
    const owner = owners.get(config.metadata.name);
    if (owner === undefined) owners.set(config.metadata.name, file);
    else
      issues.push({
        file,
        path: 'metadata.name',
        rule: `connector name '${config.metadata.name}' is already used by ${owner}`,
      });
  }
  return issues;
}
