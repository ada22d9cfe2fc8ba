import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { formatConfigIssue, loadConnectorConfigs } from '@threadline/connector-sdk';
import type { CliContext } from './cli-context';
import { ExitCode } from './cli-io';
import { CliError, describeFileError } from './cli.errors';

const DEFAULT_DIRECTORY = 'connectors';
const YAML_FILE = /\.ya?ml$/;

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
  const { configs, errors } = loadConnectorConfigs(files, context.io.env);
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

/** Files as given, directories as their YAML files (sorted); anything unreadable stops the run. */
function expandInputs(inputs: readonly string[]): string[] {
  return inputs.flatMap((input) => {
    try {
      if (!statSync(input).isDirectory()) return [input];
      return readdirSync(input)
        .filter((name) => YAML_FILE.test(name))
        .sort()
        .map((name) => join(input, name));
    } catch (error) {
      throw new CliError(`cannot read ${input}: ${describeFileError(error)}`);
    }
  });
}
