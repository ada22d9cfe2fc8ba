import { randomUUID } from 'node:crypto';
import { InMemoryDriver, MessagingRuntime } from '@threadline/messaging';
import {
  TEST_AMQP_URL,
  closeRabbitConnections,
  conformanceLogger,
  createTestDatabase,
  deleteQueues,
  describeTransportConformance,
  type TestDatabase,
} from '@threadline/testing';

let database: TestDatabase | undefined;
const connectionName = `conformance-${randomUUID()}`;

describeTransportConformance({
  name: 'RabbitMQ + PostgreSQL',
  async createRuntime({ retryPolicy }) {
    database = await createTestDatabase('threadline_conformance');
    return MessagingRuntime.create({
      amqpUrl: TEST_AMQP_URL,
      database: { url: database.url },
      logger: conformanceLogger,
      retryPolicy,
      connectionName,
    });
  },
  async dropConnection() {
    expect(await closeRabbitConnections(connectionName)).toBe(1);
  },
  async cleanup(queues) {
    await deleteQueues(queues);
    await database?.drop();
  },
});

describeTransportConformance({
  name: 'in-memory + SQLite',
  createRuntime: ({ retryPolicy }) =>
    MessagingRuntime.create({
      database: { sqlitePath: ':memory:' },
      logger: conformanceLogger,
      retryPolicy,
    }),
  async dropConnection(runtime) {
    const driver = runtime.driver as InMemoryDriver;
    driver.simulateDisconnect();
    await new Promise((resolve) => setTimeout(resolve, 200));
    driver.simulateReconnect();
  },
  cleanup: () => Promise.resolve(),
});
