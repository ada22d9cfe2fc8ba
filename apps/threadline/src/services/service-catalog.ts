import { CONNECTOR_CMMS_SERVICE } from '@threadline/app-connector-cmms';
import { CONNECTOR_ERP_SERVICE } from '@threadline/app-connector-erp';
import { CONNECTOR_MES_SERVICE } from '@threadline/app-connector-mes';
import { CONNECTOR_PLC_SERVICE } from '@threadline/app-connector-plc';
import { CONNECTOR_QMS_SERVICE } from '@threadline/app-connector-qms';
import { gatewayService } from '@threadline/app-gateway';
import { ORCHESTRATOR_SERVICE } from '@threadline/app-orchestrator';
import { TRACEABILITY_SERVICE } from '@threadline/app-traceability';
import type { ServiceDefinition } from '@threadline/messaging';
import { CONNECTOR_REGISTRY } from './connector-registry';
import { EVENT_LOG_SERVICE } from './event-log/event-log.module';
import { SERVICE_NAMES } from './service-names';

/**
 * Every service `threadline serve` can run, by name. This app is the composition root: it hosts
 * the other apps' services through their public entries (ADR 0006). Later issues add theirs here.
 */
export const SERVICE_CATALOG: ReadonlyMap<string, ServiceDefinition> = new Map(
  [
    EVENT_LOG_SERVICE,
    CONNECTOR_ERP_SERVICE,
    CONNECTOR_MES_SERVICE,
    CONNECTOR_QMS_SERVICE,
    CONNECTOR_CMMS_SERVICE,
    CONNECTOR_PLC_SERVICE,
    TRACEABILITY_SERVICE,
    ORCHESTRATOR_SERVICE,
    gatewayService({ services: SERVICE_NAMES, connectors: CONNECTOR_REGISTRY }),
  ].map((service) => [service.name, service]),
);
