import type { ServiceDefinition } from '@threadline/messaging';
import { EVENT_LOG_SERVICE } from './event-log/event-log.module';

/** Every service `threadline serve` can run, by name. Later issues add theirs here. */
export const SERVICE_CATALOG: ReadonlyMap<string, ServiceDefinition> = new Map(
  [EVENT_LOG_SERVICE].map((service) => [service.name, service]),
);
