import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createMemoryIo, ExitCode } from './cli-io';
import { runCli } from './program';

const examples = resolve(__dirname, '../../../../connectors');
const ENV = {
  ERP_PASSWORD: 'erp-password-7f3a',
  MES_TOKEN: 'mes-token-91c2',
  QMS_API_KEY: 'qms-api-key-55d0',
  QMS_WEBHOOK_SECRET: 'qms-webhook-secret-0b8e',
  CMMS_TOKEN: 'cmms-token-c4e6',
};

/** A target that answers its probe path with `status` and records what it was asked. */
function startTarget(status: number) {
  const seen: { method?: string; url?: string; authorization?: string }[] = [];
  const server: Server = createServer((request, response) => {
    seen.push({
      method: request.method,
      url: request.url,
      authorization: request.headers.authorization,
    });
    response.writeHead(status, { 'content-type': 'application/json' }).end('{}');
  });
  return new Promise<{ url: string; seen: typeof seen; close(): Promise<void> }>((done) =>
    server.listen(0, '127.0.0.1', () =>
      done({
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        seen,
        close: () => new Promise((closed) => server.close(() => closed())),
      }),
    ),
  );
}

async function run(argv: string[], env: Record<string, string>) {
  const output = createMemoryIo('', env);
  const code = await runCli(['connectors', ...argv], output.io);
  return { code, stdout: output.stdout(), stderr: output.stderr() };
}

describe('threadline connectors test <name>', () => {
  const workspace = mkdtempSync(join(tmpdir(), 'threadline-connectors-test-'));
  cpSync(examples, workspace, { recursive: true });
  afterAll(() => rmSync(workspace, { recursive: true, force: true }));

  it("GETs the probe path with the connector's credentials, moves no data, exits 0", async () => {
    const target = await startTarget(200);
    try {
      const env = { ...ENV, SIM_URL: target.url };
      const { code, stdout } = await run(['test', 'erp-sap', '--dir', workspace], env);
      expect(code).toBe(ExitCode.ok);
      expect(stdout).toMatch(
        /^ok erp-sap: GET http:\/\/127\.0\.0\.1:\d+\/sap\/opu\/odata\/sap\/ZTL_BATCH_STOCK_SRV\/ answered 200 in \d+ ms\n$/,
      );
      expect(target.seen).toEqual([
        {
          method: 'GET',
          url: '/sap/opu/odata/sap/ZTL_BATCH_STOCK_SRV/',
          authorization: `Basic ${Buffer.from('threadline:erp-password-7f3a').toString('base64')}`,
        },
      ]);
      expect(stdout).not.toContain('erp-password-7f3a');
    } finally {
      await target.close();
    }
  });

  it('reports a failing target once, without retrying, and exits 1', async () => {
    const target = await startTarget(503);
    try {
      const { code, stdout } = await run(['test', 'mes', '--dir', workspace], {
        ...ENV,
        SIM_URL: target.url,
      });
      expect(code).toBe(ExitCode.problemsFound);
      expect(stdout).toContain('failed mes: mes GET /lines answered 503');
      expect(stdout).toContain('the target is unreachable or failing');
      expect(target.seen).toHaveLength(1);
    } finally {
      await target.close();
    }
  });

  it('names the known connectors when the name is unknown (exit 2)', async () => {
    const { code, stderr } = await run(['test', 'sap', '--dir', workspace], ENV);
    expect(code).toBe(ExitCode.failed);
    expect(stderr).toContain("no valid connector named 'sap'");
    expect(stderr).toContain('cmms, erp-sap, mes, plc-line-1, qms');
  });
});

describe('threadline connectors validate with the adapter registry', () => {
  it('rejects an unknown adapter and a command the adapter does not execute, naming each', async () => {
    const workspace = mkdtempSync(join(tmpdir(), 'threadline-connectors-registry-'));
    try {
      cpSync(examples, workspace, { recursive: true });
      const file = join(workspace, 'mes.yaml');
      const text = readFileSync(file, 'utf8')
        .replace('adapter: mes-rest', 'adapter: erp-rest')
        .replace('- type: mes.line.resume', '- type: cmms.workorder.create');
      writeFileSync(file, text);
      const { code, stdout } = await run(['validate', file], ENV);
      expect(code).toBe(ExitCode.problemsFound);
      expect(stdout).toContain(
        'spec.adapter: unknown adapter; known adapters: cmms-rest, generic-rest, mes-rest, plc, qms-rest, sap-odata-v2',
      );
      writeFileSync(file, text.replace('adapter: erp-rest', 'adapter: mes-rest'));
      const second = await run(['validate', file], ENV);
      expect(second.stdout).toContain(
        'spec.outbound.commands[1].type: adapter mes-rest executes mes.line.stop, mes.line.resume',
      );
    } finally {
      rmSync(workspace, { recursive: true, force: true });
    }
  });
});
