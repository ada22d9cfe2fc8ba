import type { ServiceDefinition } from '@threadline/messaging';
import { SERVICE_NAMES } from './service-names';

/** Loads a service's module and returns its definition. */
export type ServiceLoader = () => Promise<ServiceDefinition>;

/**
 * Every service `threadline serve` can run, by name. This app is the composition root: it hosts
 * the other apps' services through their public entries (ADR 0006). Later issues add theirs here.
 * A service's module (and what it imports: PDF and OpenAPI for traceability, HTTP clients for
 * the connectors) loads only when that service runs, so a process carries the code of its own
 * services alone (ADR 0011: 16 MB less RSS for connector-plc).
 */
export const SERVICE_CATALOG: ReadonlyMap<string, ServiceLoader> = new Map<string, ServiceLoader>([
  ['event-log', async () => (await import('./event-log/event-log.module')).EVENT_LOG_SERVICE],
  [
    'connector-erp',
    async () => (await import('@threadline/app-connector-erp')).CONNECTOR_ERP_SERVICE,
  ],
  [
    'connector-mes',
    async () => (await import('@threadline/app-connector-mes')).CONNECTOR_MES_SERVICE,
  ],
  [
    'connector-qms',
    async () => (await import('@threadline/app-connector-qms')).CONNECTOR_QMS_SERVICE,
  ],
  [
    'connector-cmms',
    async () => (await import('@threadline/app-connector-cmms')).CONNECTOR_CMMS_SERVICE,
  ],
  [
    'connector-plc',
    async () => (await import('@threadline/app-connector-plc')).CONNECTOR_PLC_SERVICE,
  ],
  ['traceability', async () => (await import('@threadline/app-traceability')).TRACEABILITY_SERVICE],
  ['orchestrator', async () => (await import('@threadline/app-orchestrator')).ORCHESTRATOR_SERVICE],
  [
    'gateway',
    async () => {
      const { gatewayService } = await import('@threadline/app-gateway');
      const { CONNECTOR_REGISTRY } = await import('./connector-registry');
      return gatewayService({ services: SERVICE_NAMES, connectors: CONNECTOR_REGISTRY });
    },
  ],
]);
