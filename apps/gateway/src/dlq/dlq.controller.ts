import {
  Body,
  Controller,
  Get,
  Headers,
  HttpCode,
  Inject,
  Param,
  Post,
  Query,
  Req,
} from '@nestjs/common';
import {
  ApiBody,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiBadRequestResponse,
} from '@nestjs/swagger';
import {
  DeadLetterQueueError,
  assertDeadLetterQueue,
  deadLetterBodyText,
  deadLetterDepths,
  deadLetterQueuesOf,
  redriveDeadLetters,
} from '@threadline/messaging';
import { principalOf } from '@threadline/security';
import { badQuery, onlyKnown } from '@threadline/traceability';
import type { Request } from 'express';
import { GATEWAY_DEPS, type GatewayDeps } from '../gateway.options';
import { GatewayRoutes, INVALID_REQUEST_ANSWER, QUEUE_NOT_FOUND_ANSWER } from '../api/answers';
import type { DeadLetterQueueView, DeadLetterView, RedriveView } from '../api/model';
import { decodeCursor, isOffset, pageFromList, type Page } from '../api/pagination';
import { ApiPaging, limitParam } from '../api/paging-params';
import { badRequest, notFound } from '../api/params';
import {
  DeadLetterPageSchema,
  DeadLetterQueuePageSchema,
  RedriveRequestSchema,
  RedriveSchema,
} from '../api/schemas';

const QUEUE_PAGING = { max: 500, fallback: 100 };
const MESSAGE_PAGING = { max: 500, fallback: 50 };
/** How deep into a queue a page may reach (the broker hands messages out in order only). */
const MAX_PEEK = 10_000;
const MAX_IDS = 1_000;

/** No longer accepted (refused with 400): the actor is the authenticated caller. */
export const ACTOR_HEADER = 'X-Threadline-Actor';
export const REASON_HEADER = 'X-Threadline-Reason';

const QUEUE_PARAM = {
  name: 'queue',
  description: 'A dead-letter queue, e.g. threadline.event-log.events.dlq (names end in .dlq).',
  schema: { type: 'string', pattern: '^[A-Za-z0-9._-]{1,255}\\.dlq$' },
} as const;

/** Dead-letter queues: depths, their messages (left in place), re-drives on record. */
@GatewayRoutes('dlq')
@Controller('api/v1/dlq')
export class DlqController {
  constructor(@Inject(GATEWAY_DEPS) private readonly deps: GatewayDeps) {}

  @ApiOperation({ summary: "Every service's declared dead-letter queues with their depth" })
  @ApiPaging(QUEUE_PAGING)
  @ApiOkResponse({ type: DeadLetterQueuePageSchema })
  @Get()
  async queues(@Query() query: Record<string, unknown>): Promise<Page<DeadLetterQueueView>> {
    onlyKnown(query, ['limit', 'cursor']);
    const limit = limitParam(query.limit, QUEUE_PAGING);
    decodeCursor(query.cursor, isOffset);
    const { runtime, options } = this.deps;
    const rows = await deadLetterDepths(
      runtime.driver,
      deadLetterQueuesOf(options.services, runtime.retryPolicy.delaysMs),
    );
    return pageFromList(rows, limit, query.cursor, '/api/v1/dlq', { limit });
  }

  @ApiOperation({ summary: 'Messages of a dead-letter queue, oldest first (left in place)' })
  @ApiParam(QUEUE_PARAM)
  @ApiPaging(MESSAGE_PAGING)
  @ApiNotFoundResponse(QUEUE_NOT_FOUND_ANSWER)
  @ApiOkResponse({ type: DeadLetterPageSchema })
  @Get(':queue/messages')
  async messages(
    @Param('queue') queue: string,
    @Query() query: Record<string, unknown>,
  ): Promise<Page<DeadLetterView>> {
    onlyKnown(query, ['limit', 'cursor']);
    const limit = limitParam(query.limit, MESSAGE_PAGING);
    const offset = decodeCursor(query.cursor, isOffset)?.o ?? 0;
    if (offset + limit > MAX_PEEK) {
      throw badQuery('cursor', `pages reach ${MAX_PEEK} messages into a queue at most`);
    }
    await this.known(queue);
    const letters = await this.deps.runtime.driver.peekDeadLetters(
      queue,
      Math.min(offset + limit + 1, MAX_PEEK),
    );
    const views = letters.map((letter): DeadLetterView => ({
      messageId: letter.messageId,
      routingKey: letter.routingKey,
      headers: letter.headers,
      body: deadLetterBodyText(letter),
    }));
    return pageFromList(views, limit, query.cursor, `/api/v1/dlq/${queue}/messages`, { limit });
  }

  @ApiOperation({
    summary: 'Move messages back to their queue with a fresh attempt count (recorded)',
    description: `Who is the authenticated caller (an operator); why goes in the ${REASON_HEADER} header; both are recorded in dlq_action.`,
  })
  @ApiParam(QUEUE_PARAM)
  @ApiHeader({ name: REASON_HEADER, required: true, description: 'Why (1-1000 characters).' })
  @ApiBody({ type: RedriveRequestSchema })
  @ApiBadRequestResponse(INVALID_REQUEST_ANSWER)
  @ApiNotFoundResponse(QUEUE_NOT_FOUND_ANSWER)
  @ApiOkResponse({ type: RedriveSchema })
  @HttpCode(200)
  @Post(':queue/redrive')
  async redrive(
    @Param('queue') queue: string,
    @Query() query: Record<string, unknown>,
    @Headers() headers: Record<string, string | undefined>,
    @Body() body: unknown,
    @Req() request: Request,
  ): Promise<RedriveView> {
    onlyKnown(query, []);
    if (headers[ACTOR_HEADER.toLowerCase()] !== undefined) {
      throw badRequest(ACTOR_HEADER, 'not accepted: the actor is the authenticated caller');
    }
    const principal = principalOf(request);
    if (!principal) throw new Error('re-drive without an authenticated caller');
    const actor = principal.id;
    const reason = headerText(headers, REASON_HEADER, 1000);
    const ids = selection(body);
    await this.known(queue);
    try {
      return await redriveDeadLetters(this.deps.runtime, queue, { ids, actor, reason });
    } catch (error) {
      throw queueError(error);
    }
  }

  private async known(queue: string): Promise<void> {
    try {
      await assertDeadLetterQueue(this.deps.runtime.driver, queue);
    } catch (error) {
      throw queueError(error);
    }
  }
}

function queueError(error: unknown): unknown {
  if (!(error instanceof DeadLetterQueueError)) return error;
  return error.reason === 'unknown-queue'
    ? notFound('QUEUE_NOT_FOUND', error.message)
    : badQuery('queue', 'must be a dead-letter queue (names end in .dlq)');
}

function headerText(
  headers: Record<string, string | undefined>,
  name: string,
  max: number,
): string {
  const value = headers[name.toLowerCase()]?.trim();
  if (!value) throw badRequest(name, 'header is required (recorded with the re-drive)');
  if (value.length > max) throw badRequest(name, `must be at most ${max} characters`);
  return value;
}

/** The ids to re-drive, or undefined for all; the body must say which, exactly one way. */
function selection(body: unknown): string[] | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw badRequest('body', 'must be a JSON object: {"ids": [...]} or {"all": true}');
  }
  const { ids, all, ...rest } = body as { ids?: unknown; all?: unknown };
  const unknown = Object.keys(rest)[0];
  if (unknown !== undefined) throw badRequest(unknown, 'unknown field; known: ids, all');
  if (all !== undefined && all !== true) throw badRequest('all', 'must be true when given');
  if (all === true && ids !== undefined) throw badRequest('ids', 'ids and all exclude each other');
  if (all === true) return undefined;
  if (ids === undefined) throw badRequest('ids', 'say which messages: ids, or all: true');
  if (
    !Array.isArray(ids) ||
    ids.length === 0 ||
    ids.length > MAX_IDS ||
    !ids.every((id) => typeof id === 'string' && id.length > 0 && id.length <= 256)
  ) {
    throw badRequest('ids', `must be 1-${MAX_IDS} message ids (strings of 1-256 characters)`);
  }
  return ids as string[];
}
