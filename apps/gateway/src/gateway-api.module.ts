import { Module, type DynamicModule } from '@nestjs/common';
import { APP_GUARD, DiscoveryModule } from '@nestjs/core';
import { TraceabilityApiModule } from '@threadline/traceability';
import { DataSource } from 'typeorm';
import { AUDIT_DATA_SOURCE, AuditController } from './audit/audit.controller';
import { ConnectorStatus } from './connectors/connector-status';
import { ConnectorsController } from './connectors/connectors.controller';
import { DlqController } from './dlq/dlq.controller';
import { EventQueries } from './events/event.queries';
import { EventsController } from './events/events.controller';
import { FlowQueries } from './flows/flow.queries';
import { FlowsController } from './flows/flows.controller';
import { GATEWAY_DEPS, type GatewayDeps } from './gateway.options';
import { HoldsController } from './holds/holds.controller';
import { OpsController } from './ops/ops.controller';
import { RoleGuard } from './security/role.guard';

/**
 * The gateway's routes: flows, events, dead-letter queues, connectors, health and metrics, plus
 * the traceability routes (TraceabilityApiModule, as the traceability service mounts them).
 * Without `deps` nothing is connected: the module is built only to document it. Every route
 * is guarded by RoleGuard (the route-to-role table, src/security/route-roles.ts).
 */
@Module({})
export class GatewayApiModule {
  static forDeps(deps: GatewayDeps | undefined): DynamicModule {
    const dataSource = deps?.runtime.dataSource ?? new DataSource({ type: 'postgres' });
    return {
      module: GatewayApiModule,
      imports: [
        DiscoveryModule,
        TraceabilityApiModule.forDataSource(dataSource, deps?.runtime.metrics),
      ],
      controllers: [
        FlowsController,
        EventsController,
        DlqController,
        ConnectorsController,
        HoldsController,
        AuditController,
        OpsController,
      ],
      providers: [
        { provide: GATEWAY_DEPS, useValue: deps ?? null },
        { provide: APP_GUARD, useClass: RoleGuard },
        { provide: FlowQueries, useFactory: () => (deps ? new FlowQueries(dataSource) : null) },
        { provide: EventQueries, useFactory: () => (deps ? new EventQueries(dataSource) : null) },
        { provide: AUDIT_DATA_SOURCE, useFactory: () => (deps ? dataSource : null) },
        {
          provide: ConnectorStatus,
          useFactory: () =>
            deps ? new ConnectorStatus(deps.options.connectors, deps.settings, process.env) : null,
        },
      ],
    };
  }
}
