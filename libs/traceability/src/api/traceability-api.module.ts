import { Module, type DynamicModule } from '@nestjs/common';
import type { MetricsRegistry } from '@threadline/observability';
import type { DataSource } from 'typeorm';
import { GenealogyQueries } from '../queries/genealogy.queries';
import { TRACE_METRICS, TraceabilityController } from './traceability.controller';

/** The traceability HTTP routes over one database; the gateway imports the same module. */
@Module({})
export class TraceabilityApiModule {
  static forDataSource(dataSource: DataSource, metrics?: MetricsRegistry): DynamicModule {
    return {
      module: TraceabilityApiModule,
      controllers: [TraceabilityController],
      providers: [
        { provide: GenealogyQueries, useValue: new GenealogyQueries(dataSource) },
        { provide: TRACE_METRICS, useValue: metrics ?? null },
      ],
      exports: [GenealogyQueries],
    };
  }
}
