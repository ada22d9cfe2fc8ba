import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiQuery } from '@nestjs/swagger';
import { badQuery, onlyKnown } from '@threadline/traceability';
import { GatewayRoutes } from '../api/answers';
import type { EventView } from '../api/model';
import { decodeCursor, isKeyset, pageOf, type Page } from '../api/pagination';
import { ApiPaging, limitParam } from '../api/paging-params';
import { textParam } from '../api/params';
import { EventPageSchema } from '../api/schemas';
import { EventQueries } from './event.queries';

const PAGING = { max: 1000, fallback: 100 };

/** A business transaction's events, from the event log. */
@GatewayRoutes('events')
@Controller('api/v1/events')
export class EventsController {
  constructor(@Inject(EventQueries) private readonly events: EventQueries) {}

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
}
