import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { onlyKnown } from '@threadline/traceability';
import { GatewayRoutes } from '../api/answers';
import type { ConnectorView } from '../api/model';
import { decodeCursor, isOffset, pageFromList, type Page } from '../api/pagination';
import { ApiPaging, limitParam } from '../api/paging-params';
import { ConnectorPageSchema } from '../api/schemas';
import { ConnectorStatus } from './connector-status';

const PAGING = { max: 200, fallback: 50 };

/** The connector configurations, their targets and health. */
@GatewayRoutes('connectors')
@Controller('api/v1/connectors')
export class ConnectorsController {
  constructor(@Inject(ConnectorStatus) private readonly status: ConnectorStatus) {}

  @ApiOperation({
    summary: "Each connector's targets and health (a probe of its target, cached briefly)",
  })
  @ApiPaging(PAGING)
  @ApiOkResponse({ type: ConnectorPageSchema })
  @Get()
  async list(
    @Query() query: Record<string, unknown>,
  ): Promise<Page<ConnectorView> & { problems: string[] }> {
    onlyKnown(query, ['limit', 'cursor']);
    const limit = limitParam(query.limit, PAGING);
    decodeCursor(query.cursor, isOffset);
    const { connectors, problems } = await this.status.list();
    return {
      ...pageFromList(connectors, limit, query.cursor, '/api/v1/connectors', { limit }),
      problems,
    };
  }
}
