import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ThreadlineError } from '@threadline/core';
import {
  SCHEMAS_DIRECTORY_VARIABLE,
  findSchemasDirectory,
  loadSchemaDirectory,
} from './schema-directory.loader';
import { SchemaRegistry } from './schema-registry';

const repositorySchemas = join(__dirname, '..', '..', '..', 'schemas');
const ncrFile = join('events', 'quality.nonconformance.raised', 'v1.json');

let workspace: string;
let savedOverride: string | undefined;

beforeEach(() => {
  workspace = mkdtempSync(join(tmpdir(), 'threadline-schemas-'));
  savedOverride = process.env[SCHEMAS_DIRECTORY_VARIABLE];
  delete process.env[SCHEMAS_DIRECTORY_VARIABLE];
});

afterEach(() => {
  rmSync(workspace, { recursive: true, force: true });
  if (savedOverride === undefined) delete process.env[SCHEMAS_DIRECTORY_VARIABLE];
  else process.env[SCHEMAS_DIRECTORY_VARIABLE] = savedOverride;
});

/** A copy of the repository's schemas/ that a test may break. */
function copySchemas(): string {
  const directory = join(workspace, 'schemas');
  cpSync(repositorySchemas, directory, { recursive: true });
  return directory;
}

function editJson(file: string, edit: (schema: Record<string, unknown>) => void): void {
  const schema = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  edit(schema);
  writeFileSync(file, JSON.stringify(schema));
}

function configurationErrorOf(action: () => unknown): ThreadlineError {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(ThreadlineError);
    expect((error as ThreadlineError).code).toBe('CONFIGURATION_INVALID');
    return error as ThreadlineError;
  }
  throw new Error('expected a CONFIGURATION_INVALID error, but nothing was thrown');
}

describe('findSchemasDirectory', () => {
  it('walks up from the sources to the repository schemas/', () => {
    expect(findSchemasDirectory(__dirname)).toBe(repositorySchemas);
  });

  it('walks up from a build output folder the same way', () => {
    const built = join(workspace, 'dist', 'libs', 'schema-registry', 'src');
    mkdirSync(built, { recursive: true });
    const schemas = copySchemas();
    expect(findSchemasDirectory(built)).toBe(schemas);
  });

  it('prefers THREADLINE_SCHEMAS_DIR over walking up', () => {
    const schemas = copySchemas();
    process.env[SCHEMAS_DIRECTORY_VARIABLE] = schemas;
    expect(findSchemasDirectory(__dirname)).toBe(schemas);
  });

  it('rejects a THREADLINE_SCHEMAS_DIR without an envelope schema', () => {
    process.env[SCHEMAS_DIRECTORY_VARIABLE] = workspace;
    const error = configurationErrorOf(() => findSchemasDirectory(__dirname));
    expect(error.message).toContain(`${SCHEMAS_DIRECTORY_VARIABLE}=${workspace}`);
  });

  it('says how to fix it when no schemas/ is found', () => {
    const error = configurationErrorOf(() => findSchemasDirectory(workspace));
    expect(error.message).toContain(SCHEMAS_DIRECTORY_VARIABLE);
  });
});

describe('loadSchemaDirectory', () => {
  it('loads the repository schemas with type, major and kind from each path', () => {
    const loaded = loadSchemaDirectory(repositorySchemas);
    const ncr = loaded.entries.find((entry) => entry.type === 'quality.nonconformance.raised');
    expect(ncr).toMatchObject({
      major: 1,
      kind: 'event',
      id: 'urn:threadline:schema:quality.nonconformance.raised:1',
      file: join(repositorySchemas, ncrFile),
    });
    expect(loaded.envelope.$id).toBe('urn:threadline:schema:envelope:1');
    expect(loaded.common.$id).toBe('urn:threadline:schema:common:1');
  });

  it('loads a second major beside the first', () => {
    const schemas = copySchemas();
    const second = join(schemas, 'events', 'quality.nonconformance.raised', 'v2.json');
    cpSync(join(schemas, ncrFile), second);
    editJson(second, (schema) => {
      schema.$id = 'urn:threadline:schema:quality.nonconformance.raised:2';
    });
    const registry = SchemaRegistry.fromDirectory(schemas);
    expect(registry.get('quality.nonconformance.raised', 2)?.file).toBe(second);
    const majors = registry
      .list()
      .filter((entry) => entry.type === 'quality.nonconformance.raised')
      .map((entry) => entry.major);
    expect(majors).toEqual([1, 2]);
  });

  it('names the file that is not valid JSON', () => {
    const schemas = copySchemas();
    writeFileSync(join(schemas, ncrFile), '{ "$id": ');
    const error = configurationErrorOf(() => loadSchemaDirectory(schemas));
    expect(error.message).toContain(join(schemas, ncrFile));
    expect(error.message).toContain('not valid JSON');
  });

  it('names the file whose $id does not match its path', () => {
    const schemas = copySchemas();
    editJson(join(schemas, ncrFile), (schema) => {
      schema.$id = 'urn:threadline:schema:quality.nonconformance.opened:1';
    });
    const error = configurationErrorOf(() => loadSchemaDirectory(schemas));
    expect(error.message).toContain(join(schemas, ncrFile));
    expect(error.message).toContain("'urn:threadline:schema:quality.nonconformance.raised:1'");
  });

  it('rejects an envelope schema with the wrong $id', () => {
    const schemas = copySchemas();
    editJson(join(schemas, 'envelope', 'v1.json'), (schema) => {
      schema.$id = 'urn:threadline:schema:envelope:2';
    });
    const error = configurationErrorOf(() => loadSchemaDirectory(schemas));
    expect(error.message).toContain(join(schemas, 'envelope', 'v1.json'));
  });

  it('rejects a missing common schema, naming it', () => {
    const schemas = copySchemas();
    rmSync(join(schemas, 'common', 'v1.json'));
    const error = configurationErrorOf(() => loadSchemaDirectory(schemas));
    expect(error.message).toContain(join(schemas, 'common', 'v1.json'));
  });

  it('rejects a schema file not named v<major>.json', () => {
    const schemas = copySchemas();
    const stray = join(schemas, 'events', 'quality.nonconformance.raised', 'latest.json');
    writeFileSync(stray, '{}');
    expect(configurationErrorOf(() => loadSchemaDirectory(schemas)).message).toContain(stray);
  });

  it('rejects an x-threadline kind that disagrees with the folder', () => {
    const schemas = copySchemas();
    editJson(join(schemas, ncrFile), (schema) => {
      schema['x-threadline'] = { kind: 'command', type: 'quality.nonconformance.raised' };
    });
    const error = configurationErrorOf(() => loadSchemaDirectory(schemas));
    expect(error.message).toContain("kind must be 'event'");
  });

  it('rejects a schema that does not compile, naming the file', () => {
    const schemas = copySchemas();
    editJson(join(schemas, ncrFile), (schema) => {
      schema.properties = { ncrId: { $ref: 'urn:threadline:schema:common:1#/$defs/Missing' } };
    });
    const error = configurationErrorOf(() => SchemaRegistry.fromDirectory(schemas));
    expect(error.message).toContain(join(schemas, ncrFile));
  });

  it('compiled on first use, refuses the first message of a type whose schema does not compile', () => {
    const schemas = copySchemas();
    editJson(join(schemas, ncrFile), (schema) => {
      schema.maxLenght = 10;
    });
    const registry = SchemaRegistry.fromDirectory(schemas, { compile: 'onFirstUse' });
    const message = {
      type: 'quality.nonconformance.raised',
      dataschema: 'urn:threadline:schema:quality.nonconformance.raised:1',
    };
    const error = configurationErrorOf(() => registry.validate(message));
    expect(error.message).toContain(join(schemas, ncrFile));
    expect(error.message).toContain('maxLenght');
  });

  it('rejects an unknown keyword, since schemas compile in strict mode', () => {
    const schemas = copySchemas();
    editJson(join(schemas, ncrFile), (schema) => {
      schema.maxLenght = 10;
    });
    const error = configurationErrorOf(() => SchemaRegistry.fromDirectory(schemas));
    expect(error.message).toContain('maxLenght');
  });
});
