import { verifyAudit } from '@threadline/audit';
import {
  createDataSource,
  databaseOptionsFromEnv,
  describeDatabase,
  initializeDatabase,
} from '@threadline/persistence';
import type { CliContext } from './cli-context';
import { ExitCode } from './cli-io';

export async function verify(context: CliContext, options: { json?: boolean }) {
  const database = databaseOptionsFromEnv(context.io.env);
  const dataSource = createDataSource({ ...database, poolSize: 2 });
  await initializeDatabase(dataSource);
  try {
    const result = await verifyAudit(dataSource);
    if (options.json) {
      context.io.stdout(`${JSON.stringify(result, null, 2)}\n`);
    } else if (result.ok) {
      const head =
        result.head === null
          ? 'the log is empty'
          : `head: seq ${result.head.seq}, hash ${result.head.hash}`;
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
