import { Controller, Get, Header, Inject, Param, Query, Res } from '@nestjs/common';
import type { MetricsRegistry } from '@threadline/observability';
import type { Response } from 'express';
import { buildEpcisDocument } from '../epcis';
import type { GapView, LotView, RecallScope, TraceResult } from '../model';
import { GenealogyQueries, MAX_TRACE_DEPTH } from '../queries/genealogy.queries';
import { renderLotReportCsv, renderLotReportJson, renderLotReportPdf } from '../report';
import { lotNotFound } from './api-errors';
import { integerIn, lotIdParam, oneOf, onlyKnown } from './query-params';

/** The metrics registry the routes time their queries in (null: not timed). */
export const TRACE_METRICS = Symbol('TRACE_METRICS');

/** The traceability routes under /api/v1, served by the traceability service and the gateway. */
@Controller('api/v1')
export class TraceabilityController {
  constructor(
    @Inject(GenealogyQueries) private readonly queries: GenealogyQueries,
    @Inject(TRACE_METRICS) private readonly metrics: MetricsRegistry | null,
  ) {}

  @Get('lots/:lotId')
  async lot(
    @Param('lotId') lotId: string,
    @Query() query: Record<string, unknown>,
  ): Promise<LotView> {
    onlyKnown(query, []);
    return (await this.timed('lot', () => this.queries.lot(lotIdParam(lotId)))) ?? notFound(lotId);
  }

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
