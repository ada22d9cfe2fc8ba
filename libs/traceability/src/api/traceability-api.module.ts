import { Module, type DynamicModule } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { GenealogyQueries } from '../queries/genealogy.queries';
import { TraceabilityController } from './traceability.controller';

/** The traceability HTTP routes over one database; the gateway imports the same module. */
@Module({})
export class TraceabilityApiModule {
  static forDataSource(dataSource: DataSource): DynamicModule {
    return {
      module: TraceabilityApiModule,
      controllers: [TraceabilityController],
      providers: [{ provide: GenealogyQueries, useValue: new GenealogyQueries(dataSource) }],
      exports: [GenealogyQueries],
    };
  }
}
