import { Controller, Get, Inject, Query, Res } from '@nestjs/common';
import {
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiServiceUnavailableResponse,
} from '@nestjs/swagger';
import { runtimeReadiness } from '@threadline/messaging';
import { onlyKnown } from '@threadline/traceability';
import type { Response } from 'express';
import { GatewayRoutes } from '../api/answers';
import { HealthSchema } from '../api/schemas';
import { GATEWAY_DEPS, type GatewayDeps } from '../gateway.options';

/** Health (broker, database) and the Prometheus metrics of the process the gateway runs in. */
@GatewayRoutes('operations')
@Controller()
export class OpsController {
  constructor(@Inject(GATEWAY_DEPS) private readonly deps: GatewayDeps) {}

  @ApiOperation({ summary: 'Readiness: the broker and the database; 503 when either is down' })
  @ApiOkResponse({ type: HealthSchema, description: 'up (or degraded).' })
  @ApiServiceUnavailableResponse({ type: HealthSchema, description: 'down.' })
  @Get('health')
  async health(@Query() query: Record<string, unknown>, @Res() response: Response): Promise<void> {
    onlyKnown(query, []);
    const report = await runtimeReadiness(this.deps.runtime);
    response.status(report.status === 'down' ? 503 : 200).json(report);
  }

  @ApiOperation({ summary: 'Prometheus metrics of the process (text exposition format)' })
  @ApiProduces('text/plain')
  @ApiOkResponse({
    description: 'The prom-client registry of the runtime.',
    content: { 'text/plain': { schema: { type: 'string' } } },
  })
  @Get('metrics')
  async metrics(@Query() query: Record<string, unknown>, @Res() response: Response): Promise<void> {
    onlyKnown(query, []);
    const metrics = this.deps.runtime.metrics;
    if (!metrics) {
      response.type('text/plain').send('');
      return;
    }
    response.type(metrics.contentType).send(await metrics.text());
  }
}
