// Test-only helpers: imported by tests, never by apps or libraries.
export { TEST_POSTGRES_ADMIN_URL, createTestDatabase, type TestDatabase } from './test-database';
export { nonconformanceRaised, holdPlaced, workOrderCreate, eventually } from './event-builders';
export {
  describeTransportConformance,
  conformanceLogger,
  type ConformanceTransport,
} from './conformance/transport-conformance';
export {
  TEST_AMQP_URL,
  closeRabbitConnections,
  deleteQueues,
  deleteServiceQueues,
  createTestVhost,
  type TestVhost,
} from './rabbitmq-admin';
export {
  ConformanceModule,
  EFFECTS_TABLE_SQL,
  script as conformanceScript,
  type Behaviour,
} from './conformance/conformance-service';
export { at, lotEvents } from './lot-events';
export { nestRoutes } from './nest-routes';
