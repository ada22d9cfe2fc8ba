import {
  HttpPermanentError,
  type CommandAnswer,
  type CommandRequest,
  type ConnectorAdapter,
  type PolledPage,
  type PollingSource,
  type VendorRequest,
} from '@threadline/connector-sdk';
import { PermanentError, TransientError } from '@threadline/core';
import { fromODataDate, odataEntity, odataResults, odataString } from './odata-values';
import type { SapODataClient } from './sap-odata.client';

export interface SapODataOptions {
  /** Body field holding the external reference for check-before-create. */
  externalReferenceField: string;
}

/** Stale ETags are re-read and retried this often before the command waits in a retry tier. */
const UPDATE_ATTEMPTS = 3;

/**
 * SAP S/4HANA-style OData v2. Creates with `idempotency: external-reference` look the reference
 * up first (`$filter=ExternalReference eq '…'`) and create only when it is not there; updates
 * read the entity, skip when it already holds the requested values, and send If-Match with its
 * ETag. Polling reads a collection in change-time order after the stored change time.
 */
export class SapODataAdapter implements ConnectorAdapter {
  constructor(
    private readonly client: SapODataClient,
    private readonly options: SapODataOptions,
  ) {}

  async execute({ binding, request }: CommandRequest): Promise<CommandAnswer> {
    switch (request.method) {
      case 'POST':
        return binding.idempotency === 'external-reference'
          ? this.createOnce(request)
          : this.answer(await this.client.write(request));
      case 'PATCH':
      case 'PUT':
        return this.update(request);
      case 'GET':
      case 'DELETE':
        return this.answer(await this.client.write(request));
    }
  }

  async poll(source: PollingSource, cursor: string | undefined): Promise<PolledPage> {
    const pageSize = source.pageSize ?? 100;
    const query = [
      `$orderby=${encodeURIComponent(`${source.cursorField} asc`)}`,
      `$top=${pageSize}`,
      ...(cursor
        ? [`$filter=${encodeURIComponent(`${source.cursorField} gt datetimeoffset'${cursor}'`)}`]
        : []),
    ];
    // A resource may carry its own query options: append to them.
    const separator = source.resource.includes('?') ? '&' : '?';
    const response = await this.client.get(`${source.resource}${separator}${query.join('&')}`);
    const records = odataResults(response.data);
    if (!records) throw new TransientError(`GET ${source.resource} answered without d.results`);
    const last = records.at(-1) as Record<string, unknown> | undefined;
    const next = last === undefined ? cursor : fromODataDate(last[source.cursorField]);
    if (last !== undefined && next === undefined) {
      throw new PermanentError(
        `${source.name}: cursorField ${source.cursorField} of ${source.resource} is not a date`,
      );
    }
    return { records, cursor: next, hasMore: records.length === pageSize };
  }

  private async createOnce(request: VendorRequest): Promise<CommandAnswer> {
    const field = this.options.externalReferenceField;
    const reference = (request.body as Record<string, unknown> | undefined)?.[field];
    if (typeof reference !== 'string' || reference === '') {
      throw new PermanentError(
        `idempotency external-reference: the mapped body must set ${field} (e.g. to idempotencykey)`,
      );
    }
    const filter = encodeURIComponent(`${field} eq ${odataString(reference)}`);
    const found = await this.client.get(`${request.path}?$filter=${filter}&$top=1`);
    const existing = odataResults(found.data)?.[0];
    if (existing !== undefined) return { status: 200, response: { d: existing } };
    return this.answer(await this.client.write(request));
  }

  private async update(request: VendorRequest): Promise<CommandAnswer> {
    for (let attempt = 1; ; attempt++) {
      const current = await this.client.get(request.path);
      const entity = odataEntity(current.data);
      if (!entity) throw new TransientError(`GET ${request.path} answered without d`);
      if (alreadyApplied(entity, request.body)) return { status: 200, response: current.data };
      const etag = current.headers.etag ?? etagOf(entity);
      try {
        await this.client.write(request, etag ?? '*');
      } catch (error) {
        const stale = error instanceof HttpPermanentError && error.status === 412;
        if (!stale) throw error;
        if (attempt >= UPDATE_ATTEMPTS) {
          throw new TransientError(`${request.path} kept changing under the update (412)`);
        }
        continue;
      }
      return this.answer(await this.client.get(request.path));
    }
  }

  private answer(response: { status: number; data: unknown }): CommandAnswer {
    if (response.status === 409) {
      throw new TransientError('ERP answered 409 (conflict); trying again later');
    }
    return { status: response.status, response: response.data };
  }
}

/** Every field the update sets already has that value: doing it again would change nothing. */
function alreadyApplied(entity: Record<string, unknown>, body: unknown): boolean {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return false;
  return Object.entries(body).every(([field, value]) => {
    if (typeof value === 'object' && value !== null) return false;
    return entity[field] === value;
  });
}

function etagOf(entity: Record<string, unknown>): string | undefined {
  const etag = (entity.__metadata as { etag?: unknown } | undefined)?.etag;
  return typeof etag === 'string' ? etag : undefined;
}
