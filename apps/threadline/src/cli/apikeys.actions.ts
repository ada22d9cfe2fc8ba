import { userInfo } from 'node:os';
import { appendAudit } from '@threadline/audit';
import {
  createDataSource,
  databaseOptionsFromEnv,
  initializeDatabase,
} from '@threadline/persistence';
import { ApiKeyError, ApiKeyStore, securityEvents } from '@threadline/security';
import type { DataSource } from 'typeorm';
import type { CliContext } from './cli-context';
import { ExitCode } from './cli-io';
import { CliError } from './cli.errors';
import { table } from './text-table';

/** Who runs the command: $USER, else the operating-system account. */
function operator(context: CliContext): string {
  const name = context.io.env.USER?.trim() || safeUser();
  return `cli:${name}`.slice(0, 200);
}

function safeUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}

async function withStore<T>(
  context: CliContext,
  work: (store: ApiKeyStore, dataSource: DataSource) => Promise<T>,
): Promise<T> {
  const dataSource = createDataSource({ ...databaseOptionsFromEnv(context.io.env), poolSize: 2 });
  await initializeDatabase(dataSource);
  try {
    return await work(new ApiKeyStore(dataSource), dataSource);
  } catch (error) {
    if (error instanceof ApiKeyError) throw new CliError(error.message);
    throw error;
  } finally {
    await dataSource.destroy();
  }
}

export function create(
  context: CliContext,
  options: { name: string; role: string; json?: boolean },
): Promise<ExitCode> {
  return withStore(context, async (store, dataSource) => {
    const actor = operator(context);
    const { key, view } = await dataSource.transaction(async (manager) => {
      const made = await store.create(
        { name: options.name, role: options.role, createdBy: actor },
        manager,
      );
      await appendAudit(manager, {
        actor: { id: actor, kind: 'user' },
        action: 'apikey.created',
        subject: `apikey:${made.view.id}`,
        detail: { name: made.view.name, role: made.view.role },
      });
      return made;
    });
    securityEvents.emit({
      kind: 'api-key-created',
      at: view.createdAt,
      keyId: view.id,
      name: view.name,
      role: view.role,
      actor,
    });
    if (options.json) {
      context.io.stdout(`${JSON.stringify({ ...view, key }, null, 2)}\n`);
    } else {
      context.io.stdout(
        `API key ${view.id} (${view.name}, role ${view.role}):\n\n  ${key}\n\n` +
          'Keep it now: it is shown this once and only its hash is stored. ' +
          'Send it as the X-API-Key header.\n',
      );
    }
    return ExitCode.ok;
  });
}

export function list(context: CliContext, options: { json?: boolean }): Promise<ExitCode> {
  return withStore(context, async (store) => {
    const keys = await store.list();
    if (options.json) {
      context.io.stdout(`${JSON.stringify(keys, null, 2)}\n`);
      return ExitCode.ok;
    }
    if (keys.length === 0) {
      context.io.stdout('no API keys\n');
      return ExitCode.ok;
    }
    context.io.stdout(
      table(
        ['id', 'name', 'role', 'created', 'by', 'revoked'],
        keys.map((key) => [
          key.id,
          key.name,
          key.role,
          key.createdAt.toISOString(),
          key.createdBy ?? '',
          key.revokedAt?.toISOString() ?? '',
        ]),
      ),
    );
    return ExitCode.ok;
  });
}

export function revoke(context: CliContext, id: string): Promise<ExitCode> {
  return withStore(context, async (store, dataSource) => {
    const actor = operator(context);
    const revoked = await dataSource.transaction(async (manager) => {
      if (!(await store.revoke(id, manager))) return false;
      await appendAudit(manager, {
        actor: { id: actor, kind: 'user' },
        action: 'apikey.revoked',
        subject: `apikey:${id}`,
      });
      return true;
    });
    if (!revoked) {
      context.io.stderr(`threadline: no active API key ${id} (apikeys list shows them)\n`);
      return ExitCode.problemsFound;
    }
    securityEvents.emit({ kind: 'api-key-revoked', at: new Date(), keyId: id, actor });
    context.io.stdout(`API key ${id} revoked: the gateway refuses it from now on\n`);
    return ExitCode.ok;
  });
}
