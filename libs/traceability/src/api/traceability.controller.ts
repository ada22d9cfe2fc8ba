import { Controller, Get, Header, Inject, Param, Query, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiExtraModels,
  ApiInternalServerErrorResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiProduces,
  ApiQuery,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import type { MetricsRegistry } from '@threadline/observability';
import type { Response } from 'express';
import { buildEpcisDocument } from '../epcis';
import type { GapView, LotView, RecallScope, TraceResult } from '../model';
import { GenealogyQueries, MAX_TRACE_DEPTH } from '../queries/genealogy.queries';
import { renderLotReportCsv, renderLotReportJson, renderLotReportPdf } from '../report';
import { lotNotFound } from './api-errors';
import { EpcisDocumentSchema, LotReportSchema } from './openapi-export-schemas';
import {
  GapListSchema,
  INTERNAL_ANSWER,
  INVALID_QUERY_ANSWER,
  LOT_ID_PARAM,
  LOT_NOT_FOUND_ANSWER,
  LotViewSchema,
  RecallScopeSchema,
  TRACE_DIRECTIONS,
  TraceResultSchema,
} from './openapi-schemas';
import { integerIn, lotIdParam, oneOf, onlyKnown } from './query-params';

/** The metrics registry the routes time their queries in (null: not timed). */
export const TRACE_METRICS = Symbol('TRACE_METRICS');

/** The traceability routes under /api/v1, served by the traceability service and the gateway. */
@ApiTags('traceability')
@ApiExtraModels(LotReportSchema, EpcisDocumentSchema)
@ApiBadRequestResponse(INVALID_QUERY_ANSWER)
@ApiInternalServerErrorResponse(INTERNAL_ANSWER)
@Controller('api/v1')
export class TraceabilityController {
  constructor(
    @Inject(GenealogyQueries) private readonly queries: GenealogyQueries,
    @Inject(TRACE_METRICS) private readonly metrics: MetricsRegistry | null,
  ) {}

  @ApiOperation({ summary: 'A lot with its status, holds and timeline' })
  @ApiParam(LOT_ID_PARAM)
  @ApiNotFoundResponse(LOT_NOT_FOUND_ANSWER)
  @ApiOkResponse({ type: LotViewSchema })
  @Get('lots/:lotId')
  async lot(
    @Param('lotId') lotId: string,
    @Query() query: Record<string, unknown>,
  ): Promise<LotView> {
    onlyKnown(query, []);
    return (await this.timed('lot', () => this.queries.lot(lotIdParam(lotId)))) ?? notFound(lotId);
  }

  @ApiOperation({ summary: 'Where the lot came from (backward) or went (forward)' })
  @ApiParam(LOT_ID_PARAM)
  @ApiNotFoundResponse(LOT_NOT_FOUND_ANSWER)
  @ApiQuery({
    name: 'direction',
    required: false,
    schema: { type: 'string', enum: [...TRACE_DIRECTIONS], default: 'backward' },
  })
  @ApiQuery({
    name: 'maxDepth',
    required: false,
    description: 'How many links to follow.',
    schema: { type: 'integer', minimum: 1, maximum: MAX_TRACE_DEPTH, default: MAX_TRACE_DEPTH },
  })
  @ApiOkResponse({ type: TraceResultSchema })
  @Get('lots/:lotId/trace')
  async trace(
    @Param('lotId') lotId: string,
    @Query() query: Record<string, unknown>,
  ): Promise<TraceResult> {
    onlyKnown(query, ['direction', 'maxDepth']);
    const direction = oneOf('direction', query.direction, ['backward', 'forward'], 'backward');
    const maxDepth = integerIn('maxDepth', query.maxDepth, 1, MAX_TRACE_DEPTH, MAX_TRACE_DEPTH);
    return (
      (await this.timed('trace', () =>
        this.queries.trace(lotIdParam(lotId), direction, maxDepth),
      )) ?? notFound(lotId)
    );
  }

  @ApiOperation({ summary: 'Every affected lot, what is on hand, shipments and customers' })
  @ApiParam(LOT_ID_PARAM)
  @ApiNotFoundResponse(LOT_NOT_FOUND_ANSWER)
  @ApiOkResponse({ type: RecallScopeSchema })
  @Get('lots/:lotId/recall-scope')
  async recallScope(
    @Param('lotId') lotId: string,
    @Query() query: Record<string, unknown>,
  ): Promise<RecallScope> {
    onlyKnown(query, []);
    return (
      (await this.timed('recall-scope', () => this.queries.recallScope(lotIdParam(lotId)))) ??
      notFound(lotId)
    );
  }

  @ApiOperation({
    summary: 'The audit report: genealogy both ways, timeline, holds, dispositions, shipments',
  })
  @ApiParam(LOT_ID_PARAM)
  @ApiNotFoundResponse(LOT_NOT_FOUND_ANSWER)
  @ApiQuery({
    name: 'format',
    required: false,
    schema: { type: 'string', enum: ['json', 'csv', 'pdf'], default: 'json' },
  })
  @ApiOkResponse({
    description: 'The report in the format asked for; csv and pdf as an attachment.',
    content: {
      'application/json': { schema: { $ref: getSchemaPath(LotReportSchema) } },
      'text/csv': { schema: { type: 'string', description: 'One RFC 4180 table.' } },
      'application/pdf': { schema: { type: 'string', format: 'binary' } },
    },
  })
  @Get('lots/:lotId/report')
  async report(
    @Param('lotId') lotId: string,
    @Query() query: Record<string, unknown>,
    @Res() response: Response,
  ): Promise<void> {
    onlyKnown(query, ['format']);
    const format = oneOf('format', query.format, ['json', 'csv', 'pdf'], 'json');
    const report =
      (await this.timed('report', () => this.queries.report(lotIdParam(lotId)))) ?? notFound(lotId);
    const name = `traceability-${lotId.replace(/[^A-Za-z0-9._-]/g, '_')}`;
    if (format === 'json') {
      response.json(renderLotReportJson(report));
    } else if (format === 'csv') {
      response
        .type('text/csv; charset=utf-8')
        .attachment(`${name}.csv`)
        .send(renderLotReportCsv(report));
    } else {
      response
        .type('application/pdf')
        .attachment(`${name}.pdf`)
        .send(await renderLotReportPdf(report));
    }
  }

  @ApiOperation({ summary: 'An EPCIS 2.0 JSON-LD EPCISDocument of the lot (docs/epcis.md)' })
  @ApiParam(LOT_ID_PARAM)
  @ApiNotFoundResponse(LOT_NOT_FOUND_ANSWER)
  // Its errors too go out as application/ld+json (the Content-Type header is set first).
  @ApiProduces('application/ld+json')
  @ApiBadRequestResponse(INVALID_QUERY_ANSWER)
  @ApiInternalServerErrorResponse(INTERNAL_ANSWER)
  @ApiOkResponse({
    description: 'An EPCISDocument.',
    content: { 'application/ld+json': { schema: { $ref: getSchemaPath(EpcisDocumentSchema) } } },
  })
  @Get('lots/:lotId/epcis')
  @Header('Content-Type', 'application/ld+json')
  async epcis(
    @Param('lotId') lotId: string,
    @Query() query: Record<string, unknown>,
  ): Promise<object> {
    onlyKnown(query, []);
    const report =
      (await this.timed('epcis', () => this.queries.report(lotIdParam(lotId)))) ?? notFound(lotId);
    return buildEpcisDocument(report);
  }

  @ApiOperation({ summary: 'Detected traceability gaps, newest first' })
  @ApiQuery({
    name: 'status',
    required: false,
    description: 'Both when absent.',
    schema: { type: 'string', enum: ['open', 'resolved'] },
  })
  @ApiQuery({
    name: 'limit',
    required: false,
    schema: { type: 'integer', minimum: 1, maximum: 1000, default: 100 },
  })
  @ApiOkResponse({ type: GapListSchema })
  @Get('gaps')
  async gaps(@Query() query: Record<string, unknown>): Promise<{ items: GapView[] }> {
    onlyKnown(query, ['status', 'limit']);
    const status =
      query.status === undefined
        ? undefined
        : oneOf('status', query.status, ['open', 'resolved'], 'open');
    const limit = integerIn('limit', query.limit, 1, 1000, 100);
    return { items: await this.timed('gaps', () => this.queries.gaps({ status, limit })) };
  }

  private async timed<T>(query: string, run: () => Promise<T>): Promise<T> {
    const stop = this.metrics?.traceQueryDuration.startTimer({ query });
    try {
      return await run();
    } finally {
      stop?.();
    }
  }
}

function notFound(lotId: string): never {
  throw lotNotFound(lotId);
}
