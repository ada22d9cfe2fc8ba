import { verifyAudit } from '@threadline/audit';
import {
  createDataSource,
  databaseOptionsFromEnv,
  describeDatabase,
  initializeDatabase,
} from '@threadline/persistence';
import type { CliContext } from './cli-context';
import { ExitCode } from './cli-io';
import { CliError } from './cli.errors';

/** `--head 42:ab12...` as printed by verify (seq, a colon, the 64 hex digits of the hash). */
function parseHead(value: string | undefined): { seq: number; hash: string } | undefined {
  if (value === undefined) return undefined;
  const match = /^(\d{1,12}):([0-9a-f]{64})$/.exec(value.trim());
  if (match === null || Number(match[1]) < 1) {
    throw new CliError(
      `--head must be <seq>:<hash> as verify prints it (e.g. 42:${'0'.repeat(64)}), got '${value}'`,
    );
  }
  return { seq: Number(match[1]), hash: match[2] };
}

export async function verify(context: CliContext, options: { json?: boolean; head?: string }) {
  const expectHead = parseHead(options.head);
  const database = databaseOptionsFromEnv(context.io.env);
  const dataSource = createDataSource({ ...database, poolSize: 2 });
  await initializeDatabase(dataSource);
  try {
    const result = await verifyAudit(dataSource, expectHead ? { expectHead } : {});
    if (options.json) {
      context.io.stdout(`${JSON.stringify(result, null, 2)}\n`);
    } else if (result.ok) {
      const head =
        result.head === null
          ? 'the log is empty'
          : `head: seq ${result.head.seq}, hash ${result.head.hash} (keep ${result.head.seq}:${result.head.hash} for --head)`;
      context.io.stdout(
        `audit log intact: ${result.checked} entries checked in ${describeDatabase(database)}; ${head}\n`,
      );
    } else {
      context.io.stdout(
        `audit log BROKEN at entry ${result.firstBad?.seq} (${result.firstBad?.problem}): ${result.firstBad?.message}\n` +
          `${result.checked} entries before it are intact\n`,
      );
    }
    return result.ok ? ExitCode.ok : ExitCode.problemsFound;
  } finally {
    await dataSource.destroy();
  }
}
