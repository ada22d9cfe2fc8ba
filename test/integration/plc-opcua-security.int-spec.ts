import { X509Certificate } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { trustServerCertificate } from '../../apps/connector-plc/src/opcua/opcua-pki';
import type { OpcUaEndpoint } from '../../apps/connector-plc/src/plc-config.types';
import { createMemoryIo, ExitCode } from '../../apps/threadline/src/cli/cli-io';
import { runCli } from '../../apps/threadline/src/cli/program';
import { eventually } from '@threadline/testing';
import { metricValue } from '../support/metric-value';
import { filesIn, OpcUaTestBed, sleep } from '../support/opcua-source-harness';

const TORQUE = {
  name: 'torque',
  publishingIntervalMs: 100,
  items: [
    {
      nodeId: 'ns=1;s=TorqueStation.Torque',
      assetId: 'TS-01',
      tag: 'torque',
      samplingIntervalMs: 100,
      queueSize: 5,
    },
  ],
};

describe('OPC UA security: trust lists, Sign and SignAndEncrypt (real TCP)', () => {
  let bed: OpcUaTestBed;
  let serverCertificate: X509Certificate;

  beforeAll(async () => {
    bed = await OpcUaTestBed.start();
    serverCertificate = new X509Certificate(readFileSync(bed.simulator.serverCertificateFile));
  });
  afterAll(() => bed?.close());

  const secured = (overrides: Partial<OpcUaEndpoint>) =>
    bed.endpoint([TORQUE], {
      securityMode: 'SignAndEncrypt',
      securityPolicy: 'Basic256Sha256',
      ...overrides,
    });

  it('creates the client certificate on first start in the PKI folder', async () => {
    const pkiDir = bed.newPkiDir();
    const run = await bed.startSource(bed.endpoint([TORQUE], { pkiDir }));
    const certificateFile = join(pkiDir, 'own', 'certs', 'client_certificate.pem');
    expect(existsSync(certificateFile)).toBe(true);
    expect(existsSync(join(pkiDir, 'own', 'private', 'private_key.pem'))).toBe(true);
    expect(new X509Certificate(readFileSync(certificateFile)).subject).toContain(
      'CN=Threadline connector-plc',
    );
    expect(run.logs.some((line) => line.msg === 'OPC UA client certificate created')).toBe(true);
    await run.source.stop();
  });

  it('rejects an unknown server certificate, reports where it was put, and connects once it is trusted', async () => {
    const pkiDir = bed.newPkiDir();
    const run = await bed.startSource(
      secured({ pkiDir, securityMode: 'Sign', securityPolicy: 'Basic256Sha256' }),
    );
    await eventually(
      () => run.logs.some((line) => line.failure === 'certificate-untrusted'),
      'the untrusted certificate reported',
    );
    const rejected = filesIn(join(pkiDir, 'rejected'));
    const thumbprint = serverCertificate.fingerprint.replace(/:/g, '').toLowerCase();
    expect(rejected).toEqual([expect.stringContaining(`[${thumbprint}]`)]);
    expect(filesIn(join(pkiDir, 'trusted', 'certs'))).toEqual([]);
    const report = run.logs.find((line) => line.failure === 'certificate-untrusted')!;
    expect(report.level).toBe('error');
    expect(report.msg).toContain(bed.simulator.endpointUrl);
    expect(report.msg).toContain(join(pkiDir, 'rejected', rejected[0]));
    // Retries (every 200 ms up to 1 s) are still refused, and are not logged again.
    await sleep(1_500);
    expect(run.samples).toEqual([]);
    expect(run.source.state()).toBe('down');
    expect(await metricValue(run.metrics.plcSourceUp, { source: 'line-1-plc' })).toBe(0);
    expect(run.logs.filter((line) => line.failure === 'certificate-untrusted')).toHaveLength(1);

    const trusted = await trustServerCertificate(pkiDir, bed.simulator.endpointUrl);
    expect(trusted.sha1).toBe(serverCertificate.fingerprint);
    expect(trusted.file).toBe(
      join(pkiDir, 'trusted', 'certs', filesIn(join(pkiDir, 'trusted', 'certs'))[0]),
    );
    // The running source picks the trust up on its next attempt, without a restart.
    await eventually(
      () => run.samples.length > 0 && run.source.state() === 'up',
      'samples once trusted',
    );
    await run.source.stop();
  });

  it.each(['Basic256Sha256', 'Aes128_Sha256_RsaOaep'] as const)(
    'reads values over a SignAndEncrypt session with %s',
    async (securityPolicy) => {
      const pkiDir = bed.newPkiDir();
      await trustServerCertificate(pkiDir, bed.simulator.endpointUrl);
      const run = await bed.startSource(secured({ pkiDir, securityPolicy }));
      await eventually(() => run.samples.length >= 3, 'samples over the encrypted session');
      expect(run.source.state()).toBe('up');
      expect(bed.simulator.channels()).toContainEqual({
        securityMode: 'SignAndEncrypt',
        securityPolicy,
      });
      await run.source.stop();
    },
  );

  describe('threadline plc trust <endpoint>', () => {
    const run = async (argv: string[]) => {
      const output = createMemoryIo();
      const code = await runCli(['plc', 'trust', ...argv], output.io);
      return { code, stdout: output.stdout(), stderr: output.stderr() };
    };

    it('stores the server certificate as trusted and prints its subject, thumbprints and file', async () => {
      const pkiDir = bed.newPkiDir();
      const { code, stdout, stderr } = await run([bed.simulator.endpointUrl, '--pki-dir', pkiDir]);
      expect(stderr).toBe('');
      expect(code).toBe(ExitCode.ok);
      const [stored] = filesIn(join(pkiDir, 'trusted', 'certs'));
      expect(stdout).toBe(
        `trusted the server certificate of ${bed.simulator.endpointUrl}\n` +
          `  subject  ${serverCertificate.subject.split('\n').join(', ')}\n` +
          `  SHA-1    ${serverCertificate.fingerprint}\n` +
          `  SHA-256  ${serverCertificate.fingerprint256}\n` +
          `  valid to ${new Date(serverCertificate.validTo).toISOString()}\n` +
          `  stored   ${join(pkiDir, 'trusted', 'certs', stored)}\n`,
      );
      const source = await bed.startSource(secured({ pkiDir }));
      await eventually(
        () => source.samples.length > 0,
        'a secured session with the trusted server',
      );
      await source.source.stop();
    });

    it('exits 2 with one line when the endpoint does not answer', async () => {
      const closed = bed.simulator.endpointUrl.replace(/:\d+\//, ':1/');
      const pkiDir = bed.newPkiDir();
      const { code, stdout, stderr } = await run([
        closed,
        '--pki-dir',
        pkiDir,
        '--timeout',
        '3000',
      ]);
      expect(code).toBe(ExitCode.failed);
      expect(stdout).toBe('');
      expect(stderr).toMatch(
        /^threadline: cannot reach opc\.tcp:\/\/127\.0\.0\.1:1\/UA\/PlantSimulator: .+\n$/,
      );
      expect(filesIn(join(pkiDir, 'trusted', 'certs'))).toEqual([]);
    });

    it('exits 2 for something that is not an OPC UA endpoint URL', async () => {
      const { code, stderr } = await run(['http://127.0.0.1:4840', '--pki-dir', bed.newPkiDir()]);
      expect(code).toBe(ExitCode.failed);
      expect(stderr).toBe(
        "threadline: 'http://127.0.0.1:4840' is not an OPC UA endpoint URL (opc.tcp://host:port/path)\n",
      );
    });
  });
});
