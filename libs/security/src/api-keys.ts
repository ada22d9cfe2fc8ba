import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { ApiKey } from '@threadline/persistence';
import type { DataSource, EntityManager } from 'typeorm';
import { AuthenticationError } from './errors';
import type { Principal } from './principal';
import { isRole, ROLES } from './roles';

/** `tlk_{id}_{secret}`: id 16 hex characters, secret 32 random bytes in base64url. */
const KEY = /^tlk_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;
const NAME = /^[A-Za-z0-9][A-Za-z0-9 ._:/-]{0,99}$/;

/** What `list` shows of a key: never its secret or hash. */
export interface ApiKeyView {
  readonly id: string;
  readonly name: string;
  readonly role: string;
  readonly createdAt: Date;
  readonly createdBy: string | null;
  readonly revokedAt: Date | null;
}

export class ApiKeyError extends Error {
  constructor(
    readonly field: string,
    rule: string,
  ) {
    super(`${field}: ${rule}`);
    this.name = 'ApiKeyError';
  }
}

function sha256(secret: string): Buffer {
  return createHash('sha256').update(secret, 'utf8').digest();
}

/**
 * API keys for machine clients, in the api_key table. A key is 256 random bits behind a public
 * id; only the SHA-256 of the secret is stored (a high-entropy secret needs no slow hash) and it
 * is compared in constant time. The key is returned once, by `create`.
 */
export class ApiKeyStore {
  constructor(private readonly dataSource: DataSource) {}

  /** `manager`: write in the caller's transaction (e.g. with its audit entry). */
  async create(
    input: { name: string; role: string; createdBy?: string },
    manager: EntityManager = this.dataSource.manager,
  ): Promise<{
    key: string;
    view: ApiKeyView;
  }> {
    const name = input.name.trim();
    if (!NAME.test(name)) {
      throw new ApiKeyError(
        'name',
        '1-100 of A-Z a-z 0-9 space . _ : / - starting with a letter or digit',
      );
    }
    if (!isRole(input.role)) throw new ApiKeyError('role', `must be one of ${ROLES.join(', ')}`);
    const id = randomBytes(8).toString('hex');
    const secret = randomBytes(32).toString('base64url');
    const row = Object.assign(new ApiKey(), {
      id,
      name,
      role: input.role,
      secretHash: sha256(secret).toString('hex'),
      createdAt: new Date(),
      createdBy: input.createdBy?.slice(0, 200) ?? null,
      revokedAt: null,
    });
    await manager.getRepository(ApiKey).insert(row);
    return { key: `tlk_${id}_${secret}`, view: viewOf(row) };
  }

  /** Every key, newest first, revoked ones included. */
  async list(): Promise<ApiKeyView[]> {
    const rows = await this.dataSource
      .getRepository(ApiKey)
      .find({ order: { createdAt: 'DESC', id: 'ASC' } });
    return rows.map(viewOf);
  }

  /** Revokes a key; false when there is no such key, or it was revoked already. */
  async revoke(id: string, manager: EntityManager = this.dataSource.manager): Promise<boolean> {
    if (!/^[0-9a-f]{16}$/.test(id))
      throw new ApiKeyError('id', 'must be 16 hexadecimal characters');
    const result = await manager
      .createQueryBuilder()
      .update(ApiKey)
      .set({ revokedAt: new Date() })
      .where('id = :id AND revoked_at IS NULL', { id })
      .execute();
    return (result.affected ?? 0) > 0;
  }

  /** The principal of a presented key; throws AuthenticationError when it does not hold. */
  async verify(presented: string): Promise<Principal> {
    const match = KEY.exec(presented);
    if (!match) throw new AuthenticationError('api key: malformed (tlk_{id}_{secret})', 'api-key');
    const [, id, secret] = match;
    const row = await this.dataSource.getRepository(ApiKey).findOneBy({ id });
    const expected = row ? Buffer.from(row.secretHash, 'hex') : Buffer.alloc(32);
    const same = timingSafeEqual(expected, sha256(secret));
    if (!row || !same) throw new AuthenticationError('api key: unknown', 'api-key');
    if (row.revokedAt) throw new AuthenticationError('api key: revoked', 'api-key');
    const role = row.role;
    return {
      id: `apikey:${row.id}`,
      kind: 'machine',
      name: row.name,
      roles: isRole(role) ? [role] : [],
      via: 'api-key',
    };
  }
}

function viewOf(row: ApiKey): ApiKeyView {
  return {
    id: row.id,
    name: row.name,
    role: row.role,
    createdAt: row.createdAt,
    createdBy: row.createdBy,
    revokedAt: row.revokedAt,
  };
}
