import { readFile, stat } from 'node:fs/promises';
import {
  compareSchemaDirectories,
  findSchemasDirectory,
  loadSchemaDirectory,
  SchemaRegistry,
  type SchemaDirectory,
} from '@threadline/schema-registry';
import { action, type CliContext, type CommandGroup } from './cli-context';
import { ExitCode } from './cli-io';
import { CliError, describeFileError } from './cli.errors';
import {
  formatCompatReport,
  formatSchemaList,
  formatValidationResult,
  parseFailure,
} from './schemas.presenter';

interface JsonOption {
  json?: boolean;
}

interface SchemasDirectoryOption extends JsonOption {
  schemasDir?: string;
}

const SCHEMAS_DIR_HELP =
  'schema directory (default: $THREADLINE_SCHEMAS_DIR, else the schemas/ found walking up)';

export const registerSchemasCommands: CommandGroup = (program, context) => {
  const schemas = program
    .command('schemas')
    .description(
      'inspect the canonical event and command schemas and check documents against them',
    );

  schemas
    .command('list')
    .description('list every event and command schema as "<type> <major>", sorted')
    .option('--json', 'print a JSON array of {type, major, kind, dataschema}')
    .option('--schemas-dir <dir>', SCHEMAS_DIR_HELP)
    .action(action(context, (options: SchemasDirectoryOption) => listSchemas(context, options)));

  schemas
    .command('validate')
    .description(
      'validate one CloudEvent JSON document (envelope and data); ' +
        'exit 0 valid, 1 invalid, 2 unreadable or not JSON',
    )
    .argument('<file>', "the document to validate, or '-' to read standard input")
    .option('--json', 'print {valid, errors} as JSON (exit codes unchanged)')
    .option('--schemas-dir <dir>', SCHEMAS_DIR_HELP)
    .action(
      action(context, (file: string, options: SchemasDirectoryOption) =>
        validateDocument(context, file, options),
      ),
    );

  schemas
    .command('check-compat')
    .description(
      'compare two schema directories (EVENT-CATALOG.md section 6); ' +
        'exit 1 when a change within a major is breaking',
    )
    .argument('<old-dir>', 'the schema directory consumers rely on now, e.g. from the main branch')
    .argument('<new-dir>', 'the proposed schema directory')
    .option('--json', 'print {compatible, breaking, nonBreaking} as JSON')
    .action(
      action(context, (olderDirectory: string, newerDirectory: string, options: JsonOption) =>
        checkCompatibility(context, olderDirectory, newerDirectory, options),
      ),
    );
};

function listSchemas(context: CliContext, options: SchemasDirectoryOption): ExitCode {
  const directory = loadSchemaDirectory(options.schemasDir ?? findSchemasDirectory());
  context.io.stdout(formatSchemaList(directory.entries, options.json === true));
  return ExitCode.ok;
}

async function validateDocument(
  context: CliContext,
  file: string,
  options: SchemasDirectoryOption,
): Promise<ExitCode> {
  const text = file === '-' ? await context.io.readStdin() : await readDocument(file);
  const registry = SchemaRegistry.fromDirectory(options.schemasDir ?? findSchemasDirectory());
  const result = registry.validateJson(text);
  const unparsable = parseFailure(result);
  if (unparsable !== undefined && options.json !== true) {
    throw new CliError(`${file === '-' ? 'standard input' : file}: ${unparsable.message}`);
  }
  context.io.stdout(formatValidationResult(result, options.json === true));
  if (unparsable !== undefined) return ExitCode.failed;
  return result.valid ? ExitCode.ok : ExitCode.problemsFound;
}

async function checkCompatibility(
  context: CliContext,
  olderDirectory: string,
  newerDirectory: string,
  options: JsonOption,
): Promise<ExitCode> {
  const older = await readSchemaDirectory(olderDirectory);
  const newer = await readSchemaDirectory(newerDirectory);
  const report = compareSchemaDirectories(older, newer);
  context.io.stdout(formatCompatReport(report, options.json === true));
  return report.breaking.length > 0 ? ExitCode.problemsFound : ExitCode.ok;
}

async function readDocument(file: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (error) {
    throw new CliError(`cannot read ${file}: ${describeFileError(error)}`);
  }
}

async function readSchemaDirectory(directory: string): Promise<SchemaDirectory> {
  try {
    if (!(await stat(directory)).isDirectory()) {
      throw new CliError(`cannot read schema directory ${directory}: not a directory`);
    }
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new CliError(`cannot read schema directory ${directory}: ${describeFileError(error)}`);
  }
  return loadSchemaDirectory(directory);
}
