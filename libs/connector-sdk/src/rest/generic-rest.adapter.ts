import { TransientError } from '@threadline/core';
import type { PollingSource } from '../config/connector-config.types';
import type { PolicyHttpClient } from '../http/policy-http.client';
import type {
  CommandAnswer,
  CommandRequest,
  ConnectorAdapter,
  PolledPage,
} from '../runtime/connector-spec.types';
import type { RestPaging } from './rest-paging';

/**
 * A REST target driven only by configuration: commands are the mapped request sent as it is
 * (the Idempotency-Key header or an external-reference field in the body, as configured, keeps
 * a repeat from acting twice), and polling follows a cursor-paged change feed.
 */
export class GenericRestAdapter implements ConnectorAdapter {
  constructor(
    private readonly http: PolicyHttpClient,
    private readonly paging: RestPaging,
  ) {}

  async execute({ request }: CommandRequest): Promise<CommandAnswer> {
    const response = await this.http.request<unknown>({
      method: request.method,
      path: request.path,
      headers: request.headers,
      body: request.body,
    });
    if (response.status === 409) {
      // Busy or in a conflicting state: the state may change, so try again later.
      throw new TransientError(`${request.method} ${request.path} answered 409 (conflict)`);
    }
    return { status: response.status, response: response.data };
  }

  async poll(source: PollingSource, cursor: string | undefined): Promise<PolledPage> {
    const { cursorParam, limitParam, itemsField, nextCursorField, hasMoreField } = this.paging;
    const query = new URLSearchParams();
    if (cursor !== undefined) query.set(cursorParam, cursor);
    query.set(limitParam, String(source.pageSize ?? 100));
    // A resource may carry its own filter (`/work-orders?status=completed`): append to it.
    const separator = source.resource.includes('?') ? '&' : '?';
    const response = await this.http.request<Record<string, unknown>>({
      method: 'GET',
      path: `${source.resource}${separator}${query.toString()}`,
    });
    const body = response.data ?? {};
    const records = body[itemsField];
    if (!Array.isArray(records)) {
      throw new TransientError(
        `GET ${source.resource} answered without a '${itemsField}' array (check options.paging)`,
      );
    }
    const next = body[nextCursorField];
    return {
      records,
      cursor: typeof next === 'string' && next !== '' ? next : cursor,
      hasMore: body[hasMoreField] === true && records.length > 0,
    };
  }
}
