import { Body, Controller, Get, Headers, HttpCode, Inject, Post, Query, Req } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiQuery,
} from '@nestjs/swagger';
import { REPLAY_LIMIT, replayEvents } from '@threadline/messaging';
import { principalOf } from '@threadline/security';
import { badQuery, onlyKnown } from '@threadline/traceability';
import type { Request } from 'express';
import { EVENTS_NOT_FOUND_ANSWER, GatewayRoutes, INVALID_REQUEST_ANSWER } from '../api/answers';
import type { EventView, ReplayView } from '../api/model';
import { decodeCursor, isKeyset, pageOf, type Page } from '../api/pagination';
import { ApiPaging, limitParam } from '../api/paging-params';
import { badRequest, notFound, textParam } from '../api/params';
import { EventPageSchema, ReplayRequestSchema, ReplaySchema } from '../api/schemas';
import { REASON_HEADER } from '../dlq/dlq.controller';
import { GATEWAY_DEPS, type GatewayDeps } from '../gateway.options';
import { EventQueries } from './event.queries';

const PAGING = { max: 1000, fallback: 100 };

/** A business transaction's events, from the event log; and sending them again. */
@GatewayRoutes('events')
@Controller('api/v1/events')
export class EventsController {
  constructor(
    @Inject(EventQueries) private readonly events: EventQueries,
    @Inject(GATEWAY_DEPS) private readonly deps: GatewayDeps,
  ) {}

  @ApiOperation({
    summary: "A business transaction's events in time order, by correlationId and/or subject",
    description: 'correlationId or subject is required; type narrows further.',
  })
  @ApiQuery({ name: 'correlationId', required: false, schema: { type: 'string', maxLength: 128 } })
  @ApiQuery({ name: 'subject', required: false, schema: { type: 'string', maxLength: 128 } })
  @ApiQuery({ name: 'type', required: false, schema: { type: 'string', maxLength: 128 } })
  @ApiPaging(PAGING)
  @ApiOkResponse({ type: EventPageSchema })
  @Get()
  async list(@Query() query: Record<string, unknown>): Promise<Page<EventView>> {
    onlyKnown(query, ['correlationId', 'subject', 'type', 'limit', 'cursor']);
    const filter = {
      correlationId: textParam('correlationId', query.correlationId, 128),
      subject: textParam('subject', query.subject, 128),
      type: textParam('type', query.type, 128),
    };
    if (filter.correlationId === undefined && filter.subject === undefined) {
      throw badQuery('correlationId', 'correlationId or subject is required');
    }
    const limit = limitParam(query.limit, PAGING);
    const after = decodeCursor(query.cursor, isKeyset);
    const rows = await this.events.list(filter, limit + 1, after);
    return pageOf(rows, limit, (last) => ({ t: last.time, id: last.id }), '/api/v1/events', {
      ...filter,
      limit,
    });
  }

  @ApiOperation({
    summary: 'Send events from the event log again, as first published (recorded)',
    description:
      `By id or by correlationId, up to ${REPLAY_LIMIT}, in time order, with their ids and ` +
      'idempotency keys: consumers that had them drop them, those that missed them get them. ' +
      `Who is the authenticated caller (an operator); why goes in the ${REASON_HEADER} header; ` +
      'both go to the audit log (replay) before anything is sent.',
  })
  @ApiHeader({ name: REASON_HEADER, required: true, description: 'Why (1-1000 characters).' })
  @ApiBody({ type: ReplayRequestSchema })
  @ApiBadRequestResponse(INVALID_REQUEST_ANSWER)
  @ApiNotFoundResponse(EVENTS_NOT_FOUND_ANSWER)
  @ApiOkResponse({ type: ReplaySchema })
  @HttpCode(200)
  @Post('replay')
  async replay(
    @Query() query: Record<string, unknown>,
    @Headers() headers: Record<string, string | undefined>,
    @Body() body: unknown,
    @Req() request: Request,
  ): Promise<ReplayView> {
    onlyKnown(query, []);
    const principal = principalOf(request);
    if (!principal) throw new Error('replay without an authenticated caller');
    const reason = headers[REASON_HEADER.toLowerCase()]?.trim();
    if (!reason) throw badRequest(REASON_HEADER, 'header is required (recorded with the replay)');
    if (reason.length > 1000) throw badRequest(REASON_HEADER, 'must be at most 1000 characters');
    const outcome = await replayEvents(this.deps.runtime, {
      ...replaySelection(body),
      actor: principal.id,
      reason,
    });
    if (outcome.replayed === 0) {
      throw notFound('EVENTS_NOT_FOUND', 'no such event in the event log');
    }
    return { replayed: outcome.replayed, ids: [...outcome.ids] };
  }
}

/** `{ids}` or `{correlationId}`, exactly one, nothing else. */
function replaySelection(body: unknown): { ids: string[] } | { correlationId: string } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw badRequest('body', 'must be a JSON object: {"ids": [...]} or {"correlationId": "..."}');
  }
  const { ids, correlationId, ...rest } = body as { ids?: unknown; correlationId?: unknown };
  const unknown = Object.keys(rest)[0];
  if (unknown !== undefined) throw badRequest(unknown, 'unknown field; known: ids, correlationId');
  if (ids !== undefined && correlationId !== undefined) {
    throw badRequest('ids', 'ids and correlationId exclude each other');
  }
  if (correlationId !== undefined) {
    if (
      typeof correlationId !== 'string' ||
      correlationId.length === 0 ||
      correlationId.length > 128
    ) {
      throw badRequest('correlationId', 'must be a string of 1-128 characters');
    }
    return { correlationId };
  }
  if (
    !Array.isArray(ids) ||
    ids.length === 0 ||
    ids.length > REPLAY_LIMIT ||
    !ids.every((id) => typeof id === 'string' && id.length > 0 && id.length <= 128)
  ) {
    throw badRequest('ids', `must be 1-${REPLAY_LIMIT} event ids (strings of 1-128 characters)`);
  }
  return { ids: ids as string[] };
}
