import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createMemoryIo, ExitCode } from './cli-io';
import { runCli } from './program';

describe('threadline up and demo (usage)', () => {
  it.each([['up'], ['start'], ['demo']])('has help for "%s"', async (command) => {
    const output = createMemoryIo();
    expect(await runCli([command, '--help'], output.io)).toBe(ExitCode.ok);
    expect(output.stdout()).toMatch(/Usage: threadline (up|demo)/);
  });

  it.each([['0'], ['1.5'], ['soon'], ['3601']])(
    'refuses --step-timeout %s naming the option and the rule, exit 2',
    async (value) => {
      const output = createMemoryIo();
      expect(await runCli(['demo', '--step-timeout', value], output.io)).toBe(ExitCode.failed);
      expect(output.stderr()).toBe(
        `threadline: --step-timeout must be whole seconds from 1 to 3600, got '${value}'\n`,
      );
    },
  );

  describe('against a gateway that is not Threadline', () => {
    let server: Server;
    let url: string;
    beforeAll(async () => {
      // Answers /health but knows no connectors: the simulator cannot be discovered.
      server = createServer((request, response) => {
        response.writeHead(request.url === '/health' ? 200 : 404, {
          'content-type': 'application/json',
        });
        response.end(request.url === '/health' ? '{"status":"up"}' : '{}');
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(() => new Promise((resolve) => server.close(resolve)));

    it('says where it looked, exit 2', async () => {
      const output = createMemoryIo();
      expect(await runCli(['demo', '--gateway', url], output.io)).toBe(ExitCode.failed);
      expect(output.stderr()).toBe(`threadline: GET ${url}/api/v1/connectors answered 404\n`);
    });

    it('names the simulator it cannot reach, exit 2', async () => {
      const output = createMemoryIo();
      const code = await runCli(
        ['demo', '--gateway', url, '--simulator', 'http://127.0.0.1:9'],
        output.io,
      );
      expect(code).toBe(ExitCode.failed);
      expect(output.stderr()).toBe(
        'threadline: cannot reach the simulator (--simulator) at http://127.0.0.1:9/_sim/state\n',
      );
    });
  });
});
