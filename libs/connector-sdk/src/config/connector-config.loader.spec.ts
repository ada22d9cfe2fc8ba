import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ConfigurationError, formatConfigIssue } from './connector-config.errors';
import {
  loadConnectorConfigs,
  loadConnectorConfigsOrThrow,
  redactConfig,
} from './connector-config.loader';

const repository = resolve(__dirname, '../../../..');
const brokenDirectory = join(repository, 'test/fixtures/connector-configs/broken');
const examplesDirectory = join(repository, 'connectors');
const workspace = mkdtempSync(join(tmpdir(), 'connector-config-'));

/** What the example configurations need; values chosen to be easy to find in any output. */
const EXAMPLE_ENV = {
  ERP_PASSWORD: 'erp-password-7f3a',
  MES_TOKEN: 'mes-token-91c2',
  QMS_API_KEY: 'qms-api-key-55d0',
  QMS_WEBHOOK_SECRET: 'qms-webhook-secret-0b8e',
  CMMS_TOKEN: 'cmms-token-c4e6',
};
const FIXTURE_SECRET = 'hunter2-fixture-secret';

interface ExpectedProblem {
  at: string;
  path: string;
  rule: string;
}
const manifest = JSON.parse(readFileSync(join(brokenDirectory, 'expected.json'), 'utf8')) as {
  files: Record<string, ExpectedProblem[]>;
};

afterAll(() => rmSync(workspace, { recursive: true, force: true }));

function yamlFiles(directory: string): string[] {
  return readdirSync(directory)
    .filter((name) => name.endsWith('.yaml'))
    .sort()
    .map((name) => join(directory, name));
}

/** A minimal valid connector, with `extra` appended under spec.target. */
function writeConnector(name: string, targetExtra = '', rest = ''): string {
  const file = join(workspace, `${name}.yaml`);
  writeFileSync(
    file,
    [
      'apiVersion: threadline/v1',
      'kind: Connector',
      `metadata: { name: ${name}, plant: P1 }`,
      'spec:',
      '  system: qms',
      '  adapter: qms-rest',
      '  target:',
      '    baseUrl: ${BASE_URL:-http://127.0.0.1:4000}/qms/api/v1',
      targetExtra,
      rest,
    ].join('\n'),
  );
  return file;
}

describe('the example configurations in connectors/', () => {
  const files = yamlFiles(examplesDirectory);

  it('are the five plant systems and all validate with their variables set', () => {
    const { configs, errors } = loadConnectorConfigs(files, EXAMPLE_ENV);
    expect(errors.map(formatConfigIssue)).toEqual([]);
    expect(configs.map(({ config }) => config.spec.system).sort()).toEqual([
      'cmms',
      'erp',
      'mes',
      'plc',
      'qms',
    ]);
  });

  it('use the simulator by default and SIM_URL when set', () => {
    const defaults = loadConnectorConfigs(files, EXAMPLE_ENV).configs;
    const erp = defaults.find(({ config }) => config.spec.system === 'erp')!.config;
    expect(erp.spec.target!.baseUrl).toBe('http://127.0.0.1:4000/sap/opu/odata/sap');
    const moved = loadConnectorConfigs(files, { ...EXAMPLE_ENV, SIM_URL: 'https://sim.test' });
    const targets = moved.configs.filter(({ config }) => config.spec.target !== undefined);
    expect(targets.map(({ config }) => config.spec.target!.baseUrl).sort()).toEqual([
      'https://sim.test/cmms/api/v1',
      'https://sim.test/mes/api/v1',
      'https://sim.test/qms/api/v1',
      'https://sim.test/sap/opu/odata/sap',
    ]);
  });

  it('read their mapping files, relative to the YAML file', () => {
    const { configs } = loadConnectorConfigs(files, EXAMPLE_ENV);
    const erp = configs.find(({ config }) => config.metadata.name === 'erp-sap')!.config;
    const hold = erp.spec.outbound!.commands.find((c) => c.type === 'erp.inventory.hold.place')!;
    expect(hold.mapping.file).toBe(join(examplesDirectory, 'mappings/erp-hold-place.jsonata'));
    expect(hold.mapping.expression).toBe(readFileSync(hold.mapping.file!, 'utf8'));
  });

  it('never carry a secret into the redacted copy', () => {
    const { configs } = loadConnectorConfigs(files, EXAMPLE_ENV);
    const redacted = JSON.stringify(configs.map(({ config }) => redactConfig(config)));
    for (const secret of Object.values(EXAMPLE_ENV)) expect(redacted).not.toContain(secret);
    const qms = configs.find(({ config }) => config.metadata.name === 'qms')!.config;
    expect(qms.spec.inbound!.webhooks![0].secret).toBe(EXAMPLE_ENV.QMS_WEBHOOK_SECRET);
    expect(redactConfig(qms).spec.inbound!.webhooks![0].secret).toBe('***');
    expect(redactConfig(qms).spec.target!.auth).toEqual({
      type: 'api-key',
      header: 'X-API-Key',
      key: '***',
    });
  });

  it('name every missing variable when none is set', () => {
    const { configs, errors } = loadConnectorConfigs(files, {});
    // The PLC example needs no secret (its hosts and PKI folder have defaults).
    expect(configs.map(({ config }) => config.metadata.name)).toEqual(['plc-line-1']);
    const lines = errors.map(formatConfigIssue).join('\n');
    for (const variable of Object.keys(EXAMPLE_ENV)) {
      expect(lines).toContain(`environment variable ${variable} is not set`);
    }
    expect(lines).toMatch(/erp-sap\.yaml:\d+:\d+: spec\.target\.auth\.password: environment/);
  });
});

describe('the broken fixtures', () => {
  const files = yamlFiles(brokenDirectory);
  const { configs, errors } = loadConnectorConfigs(files, { FIXTURE_SECRET });

  it('are at least ten, each listed in expected.json, and none loads', () => {
    expect(files.length).toBeGreaterThanOrEqual(10);
    expect(files.map((file) => file.slice(brokenDirectory.length + 1))).toEqual(
      Object.keys(manifest.files).sort(),
    );
    expect(configs).toEqual([]);
  });

  it.each(Object.entries(manifest.files))(
    '%s: reports exactly its problems, naming file, place, path and rule',
    (name, expected) => {
      const file = join(brokenDirectory, name);
      const lines = errors.filter((issue) => issue.file === file).map(formatConfigIssue);
      expect(lines).toHaveLength(expected.length);
      lines.forEach((line, index) => {
        const { at, path, rule } = expected[index];
        const subject = path === '' ? '' : `${path}: `;
        expect(line.startsWith(`${file}:${at}: ${subject}`)).toBe(true);
        expect(line).toContain(rule);
      });
    },
  );

  it('never show a secret value, stack frames or ajv jargon', () => {
    const output = errors.map(formatConfigIssue).join('\n');
    expect(output).not.toContain(FIXTURE_SECRET);
    expect(output).not.toMatch(/^\s+at /m);
    expect(output).not.toMatch(/instancePath|schemaPath|#\/\$defs/);
  });

  it('make the throwing variant list every problem of every file in one error', () => {
    let thrown: unknown;
    try {
      loadConnectorConfigsOrThrow(files, { FIXTURE_SECRET });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigurationError);
    const error = thrown as ConfigurationError;
    expect(error.code).toBe('CONFIGURATION_INVALID');
    expect(error.issues).toEqual(errors);
    const problemCount = Object.values(manifest.files).flat().length;
    expect(error.message).toContain(`(${problemCount} problems)`);
    for (const issue of errors) expect(error.message).toContain(formatConfigIssue(issue));
    expect(error.message).not.toContain(FIXTURE_SECRET);
  });
});

describe('loadConnectorConfigs', () => {
  it('fills in schema defaults (timeoutMs 5000, webhook toleranceSeconds 300)', () => {
    const file = writeConnector(
      'defaults',
      '',
      [
        '  inbound:',
        '    webhooks:',
        '      - name: ncr',
        '        path: /hooks/ncr',
        '        secret: ${HOOK_SECRET}',
        '        mapping: "{ \\"id\\": id }"',
        '        eventType: quality.nonconformance.raised',
      ].join('\n'),
    );
    const [loaded] = loadConnectorConfigsOrThrow([file], { HOOK_SECRET: 's' });
    expect(loaded.config.spec.target!.timeoutMs).toBe(5000);
    expect(loaded.config.spec.inbound!.webhooks![0].toleranceSeconds).toBe(300);
    expect(loaded.config.spec.inbound!.webhooks![0].mapping).toEqual({
      expression: '{ "id": id }',
    });
  });

  it.each([
    ['written in the file', 'literal-webhook-secret'],
    ['given a default in the file', '${HOOK_SECRET:-literal-webhook-secret}'],
    ['mixed with text', 'prefix-${HOOK_SECRET}'],
  ])('refuses a secret %s: secrets come from the environment only', (_, value) => {
    const file = writeConnector(
      'literal-secret',
      '',
      [
        '  inbound:',
        '    webhooks:',
        '      - name: ncr',
        '        path: /hooks/ncr',
        `        secret: ${value}`,
        '        mapping: "{ \\"id\\": id }"',
        '        eventType: quality.nonconformance.raised',
      ].join('\n'),
    );
    const { configs, errors } = loadConnectorConfigs([file], { HOOK_SECRET: 'from-env' });
    expect(configs).toEqual([]);
    const messages = errors.map(formatConfigIssue);
    expect(messages).toEqual([
      expect.stringContaining(
        'spec.inbound.webhooks[0].secret: must come from the environment: give it as ${ENV_VAR} (the environment only, no default in the file)',
      ),
    ]);
    expect(messages.join('\n')).not.toContain('literal-webhook-secret');
    expect(messages.join('\n')).not.toContain('from-env');
  });

  it('reports a file that does not exist without stopping the others', () => {
    const good = writeConnector('still-loaded');
    const missing = join(workspace, 'absent.yaml');
    const { configs, errors } = loadConnectorConfigs([missing, good], {});
    expect(configs.map(({ file }) => file)).toEqual([good]);
    expect(errors.map(formatConfigIssue)).toEqual([`${missing}: no such file`]);
  });

  it('rejects two files that declare the same connector name', () => {
    const first = writeConnector('twin');
    const second = join(workspace, 'twin-copy.yaml');
    writeFileSync(second, readFileSync(first));
    const { configs, errors } = loadConnectorConfigs([first, second], {});
    expect(configs.map(({ file }) => file)).toEqual([first]);
    expect(errors.map(formatConfigIssue)).toEqual([
      `${second}: metadata.name: connector name 'twin' is already used by ${first}`,
    ]);
  });

  it('reports an empty mapping file', () => {
    mkdirSync(join(workspace, 'mappings'), { recursive: true });
    writeFileSync(join(workspace, 'mappings', 'empty.jsonata'), '  \n');
    const file = writeConnector(
      'empty-mapping',
      '',
      [
        '  outbound:',
        '    commands:',
        '      - type: qms.inspection.lot.create',
        '        request: { method: POST, path: /lots }',
        '        mapping: { file: mappings/empty.jsonata }',
        "        result: '{}'",
        '        idempotency: header',
      ].join('\n'),
    );
    const { errors } = loadConnectorConfigs([file], {});
    expect(errors.map((issue) => `${issue.path}: ${issue.rule}`)).toEqual([
      `spec.outbound.commands[0].mapping.file: mapping file ${join(workspace, 'mappings/empty.jsonata')} cannot be read or is empty`,
    ]);
  });

  it('reports a file that is not a mapping at the top', () => {
    const file = join(workspace, 'list.yaml');
    writeFileSync(file, '- just\n- a list\n');
    const { errors } = loadConnectorConfigs([file], {});
    expect(errors.map(formatConfigIssue)).toEqual([`${file}:1:1: must be an object`]);
  });

  it('explains a mapping of the wrong type as "a string or an object"', () => {
    const file = writeConnector(
      'mapping-type',
      '',
      [
        '  outbound:',
        '    commands:',
        '      - type: qms.inspection.lot.create',
        '        request: { method: POST, path: /lots }',
        '        mapping: 42',
        "        result: '{}'",
        '        idempotency: header',
      ].join('\n'),
    );
    const { errors } = loadConnectorConfigs([file], {});
    expect(errors.map((issue) => `${issue.path}: ${issue.rule}`)).toEqual([
      'spec.outbound.commands[0].mapping: must be a string or an object',
    ]);
  });
});
