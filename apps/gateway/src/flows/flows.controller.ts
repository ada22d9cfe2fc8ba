import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import {
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiQuery,
} from '@nestjs/swagger';
import { badQuery, oneOf, onlyKnown } from '@threadline/traceability';
import { FLOW_NOT_FOUND_ANSWER, GatewayRoutes } from '../api/answers';
import { FLOW_STATES, type FlowSummary, type FlowView } from '../api/model';
import { decodeCursor, isKeyset, pageOf, type Page } from '../api/pagination';
import { ApiPaging, limitParam } from '../api/paging-params';
import { notFound, textParam } from '../api/params';
import { FlowPageSchema, FlowSchema } from '../api/schemas';
import { FlowQueries } from './flow.queries';

const PAGING = { max: 500, fallback: 50 };
const FLOW_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,35}$/;

/** The orchestrator's flows: lists with filters, and one flow with its timeline. */
@GatewayRoutes('flows')
@Controller('api/v1/flows')
export class FlowsController {
  constructor(@Inject(FlowQueries) private readonly flows: FlowQueries) {}

  @ApiOperation({ summary: 'Flows, newest first, by type, state, subject or correlationId' })
  @ApiQuery({ name: 'type', required: false, schema: { type: 'string', maxLength: 64 } })
  @ApiQuery({ name: 'state', required: false, schema: { type: 'string', enum: [...FLOW_STATES] } })
  @ApiQuery({ name: 'subject', required: false, schema: { type: 'string', maxLength: 160 } })
  @ApiQuery({ name: 'correlationId', required: false, schema: { type: 'string', maxLength: 128 } })
  @ApiPaging(PAGING)
  @ApiOkResponse({ type: FlowPageSchema })
  @Get()
  async list(@Query() query: Record<string, unknown>): Promise<Page<FlowSummary>> {
    onlyKnown(query, ['type', 'state', 'subject', 'correlationId', 'limit', 'cursor']);
    const filter = {
      type: textParam('type', query.type, 64),
      state:
        query.state === undefined ? undefined : oneOf('state', query.state, FLOW_STATES, 'running'),
      subject: textParam('subject', query.subject, 160),
      correlationId: textParam('correlationId', query.correlationId, 128),
    };
    const limit = limitParam(query.limit, PAGING);
    const after = decodeCursor(query.cursor, isKeyset);
    const rows = await this.flows.list(filter, limit + 1, after);
    return pageOf(rows, limit, (last) => ({ t: last.startedAt, id: last.id }), '/api/v1/flows', {
      ...filter,
      limit,
    });
  }

  @ApiOperation({ summary: 'One flow with its steps in timeline order' })
  @ApiParam({
    name: 'id',
    description: 'The flow id: 1-36 of A-Z a-z 0-9 . _ : - starting with a letter or digit.',
    schema: { type: 'string', pattern: FLOW_ID.source },
  })
  @ApiNotFoundResponse(FLOW_NOT_FOUND_ANSWER)
  @ApiOkResponse({ type: FlowSchema })
  @Get(':id')
  async get(@Param('id') id: string, @Query() query: Record<string, unknown>): Promise<FlowView> {
    onlyKnown(query, []);
    if (!FLOW_ID.test(id)) {
      throw badQuery('id', '1-36 of A-Z a-z 0-9 . _ : - starting with a letter or digit');
    }
    const flow = await this.flows.get(id);
    if (!flow) throw notFound('FLOW_NOT_FOUND', `flow '${id}' is not known`);
    return flow;
  }
}
