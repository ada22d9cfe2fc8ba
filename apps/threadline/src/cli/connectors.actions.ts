import { statSync } from 'node:fs';
import {
  connectorConfigFiles,
  formatConfigIssue,
  loadConnectorConfigs,
  probeConnector,
} from '@threadline/connector-sdk';
import { CONNECTOR_REGISTRY } from '../services/connector-registry';
import type { CliContext } from './cli-context';
import { ExitCode } from './cli-io';
import { CliError, describeFileError } from './cli.errors';

const DEFAULT_DIRECTORY = 'connectors';

/**
 * `ok <file> (<name>, <system>/<adapter>)` per valid file, one line per problem otherwise.
 * Exit 0 when all are valid, 1 when any is invalid, 2 when a file cannot be read or none is found.
 */
export function validateConnectors(context: CliContext, inputs: readonly string[]): ExitCode {
  const files = expandInputs(inputs.length > 0 ? inputs : [DEFAULT_DIRECTORY]);
  if (files.length === 0) {
    throw new CliError(
      `no connector files (*.yaml) found in ${inputs.join(', ') || DEFAULT_DIRECTORY}`,
    );
  }
  const { configs, errors } = loadConnectorConfigs(files, context.io.env, {
    rules: CONNECTOR_REGISTRY.rules(),
  });
  const lines: string[] = [];
  for (const file of files) {
    const loaded = configs.find((candidate) => candidate.file === file);
    if (loaded !== undefined) {
      const { metadata, spec } = loaded.config;
      lines.push(`ok ${file} (${metadata.name}, ${spec.system}/${spec.adapter})`);
    }
    lines.push(...errors.filter((issue) => issue.file === file).map(formatConfigIssue));
  }
  context.io.stdout(`${lines.join('\n')}\n`);
  return errors.length === 0 ? ExitCode.ok : ExitCode.problemsFound;
}

/**
 * Probes one connector's target without moving data: one GET of its probe path through the
 * connector's own client (auth, timeout), no retries. Exit 0 when it answers, 1 when it does
 * not, 2 when the connector is unknown or its configuration is invalid.
 */
export async function testConnector(
  context: CliContext,
  name: string,
  options: { dir?: string },
): Promise<ExitCode> {
  const directory = options.dir ?? context.io.env.CONNECTORS_DIR ?? DEFAULT_DIRECTORY;
  const files = expandInputs([directory]);
  const { configs, errors } = loadConnectorConfigs(files, context.io.env, {
    rules: CONNECTOR_REGISTRY.rules(),
  });
  const loaded = configs.find((candidate) => candidate.config.metadata.name === name);
  if (!loaded) {
    const invalid = errors.map(formatConfigIssue);
    const known = configs.map((candidate) => candidate.config.metadata.name).join(', ');
    throw new CliError(
      `no valid connector named '${name}' in ${directory} (valid: ${known || 'none'})` +
        (invalid.length > 0 ? `\n${invalid.join('\n')}` : ''),
    );
  }
  const { url: target, result } = await probeConnector(loaded.config, CONNECTOR_REGISTRY);
  if (result.ok) {
    context.io.stdout(
      `ok ${name}: GET ${target} answered ${result.status} in ${result.latencyMs} ms\n`,
    );
    return ExitCode.ok;
  }
  const hint = result.retryable
    ? 'the target is unreachable or failing'
    : 'check the URL and credentials';
  context.io.stdout(`failed ${name}: ${result.error} (${hint})\n`);
  return ExitCode.problemsFound;
}

/** Files as given, directories as their YAML files (sorted); anything unreadable stops the run. */
function expandInputs(inputs: readonly string[]): string[] {
  return inputs.flatMap((input) => {
    try {
      return statSync(input).isDirectory() ? connectorConfigFiles(input) : [input];
    } catch (error) {
      throw new CliError(`cannot read ${input}: ${describeFileError(error)}`);
    }
  });
}
