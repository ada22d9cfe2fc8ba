import { action, type CommandGroup } from './cli-context';
import { createMemoryIo, ExitCode } from './cli-io';
import { CliError } from './cli.errors';
import { runCli } from './program';

const STACK_FRAME = /^\s+at /m;

describe('runCli', () => {
  it('prints help listing the command groups, exit 0', async () => {
    const output = createMemoryIo();
    expect(await runCli(['--help'], output.io)).toBe(ExitCode.ok);
    expect(output.stdout()).toContain('Usage: threadline');
    expect(output.stdout()).toMatch(/schemas\s+inspect the canonical event and command schemas/);
  });

  it.each([['schemas'], ['schemas', 'list'], ['schemas', 'validate'], ['schemas', 'check-compat']])(
    'has help for "%s"',
    async (...command) => {
      const output = createMemoryIo();
      expect(await runCli([...command, '--help'], output.io)).toBe(ExitCode.ok);
      expect(output.stdout()).toContain(`Usage: threadline ${command.join(' ')}`);
      expect(output.stderr()).toBe('');
    },
  );

  it('prints the version from package.json', async () => {
    const output = createMemoryIo();
    expect(await runCli(['--version'], output.io)).toBe(ExitCode.ok);
    expect(output.stdout()).toMatch(/^\d+\.\d+\.\d+\n$/);
  });

  it('exits 2 with usage on stderr when no command is given', async () => {
    const output = createMemoryIo();
    expect(await runCli([], output.io)).toBe(ExitCode.failed);
    expect(output.stderr()).toContain('Usage: threadline');
  });

  it('exits 2 on an unknown command or a missing argument', async () => {
    const unknown = createMemoryIo();
    expect(await runCli(['frobnicate'], unknown.io)).toBe(ExitCode.failed);
    expect(unknown.stderr()).toContain("error: unknown command 'frobnicate'");

    const missing = createMemoryIo();
    expect(await runCli(['schemas', 'validate'], missing.io)).toBe(ExitCode.failed);
    expect(missing.stderr()).toContain("error: missing required argument 'file'");
  });

  describe('central error handling', () => {
    const failing = (error: unknown): CommandGroup => {
      return (program, context) => {
        program.command('explode').action(
          action(context, () => {
            throw error;
          }),
        );
      };
    };

    it('turns an unexpected error into one line and exit 2, without a stack trace', async () => {
      const output = createMemoryIo();
      const error = new TypeError('cannot read properties of undefined\n(reading "x")');
      expect(await runCli(['explode'], output.io, [failing(error)])).toBe(ExitCode.failed);
      expect(output.stderr()).toBe(
        'threadline: cannot read properties of undefined (reading "x")\n',
      );
      expect(output.stdout()).toBe('');
    });

    it('shows the stack when THREADLINE_DEBUG=1', async () => {
      const output = createMemoryIo('', { THREADLINE_DEBUG: '1' });
      expect(await runCli(['explode'], output.io, [failing(new Error('boom'))])).toBe(2);
      expect(output.stderr()).toMatch(/^threadline: boom\nError: boom\n/);
      expect(output.stderr()).toMatch(STACK_FRAME);
    });

    it('handles thrown values that are not errors', async () => {
      const output = createMemoryIo();
      expect(await runCli(['explode'], output.io, [failing('plain string')])).toBe(2);
      expect(output.stderr()).toBe('threadline: plain string\n');
    });

    it("uses a CliError's exit code", async () => {
      const output = createMemoryIo();
      const error = new CliError('two problems found', ExitCode.problemsFound);
      expect(await runCli(['explode'], output.io, [failing(error)])).toBe(ExitCode.problemsFound);
      expect(output.stderr()).toBe('threadline: two problems found\n');
    });
  });
});
