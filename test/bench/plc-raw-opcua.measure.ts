import {
  AttributeIds,
  ClientMonitoredItemGroup,
  ClientSubscription,
  MessageSecurityMode,
  OPCUAClient,
  SecurityPolicy,
  TimestampsToReturn,
} from 'node-opcua';
import type { OpcUaWorkload } from './plc-bench-support';
import { opcUaSubscriptions } from './plc-workload';

export interface RunningLoad {
  /** DataChange notifications (OPC UA) or registers read (Modbus) so far. */
  count(): number;
  stop(): Promise<void>;
}

/**
 * The ceiling for OPC UA: a plain node-opcua client, no security (as the connector case), the
 * same subscriptions and monitored-item groups, counting DataChange notifications. No mapping,
 * no pipeline, no database, no broker.
 */
export async function startRawOpcUa(workload: OpcUaWorkload): Promise<RunningLoad> {
  const client = OPCUAClient.create({
    applicationName: 'Threadline bench raw client',
    securityMode: MessageSecurityMode.None,
    securityPolicy: SecurityPolicy.None,
    endpointMustExist: false,
    connectionStrategy: { maxRetry: 3, initialDelay: 200, maxDelay: 1_000 },
  });
  let changes = 0;
  await client.connect(workload.endpointUrl);
  const session = await client.createSession();
  for (const subscription of opcUaSubscriptions(workload)) {
    const created = ClientSubscription.create(session, {
      requestedPublishingInterval: subscription.publishingIntervalMs,
      requestedMaxKeepAliveCount: 50,
      requestedLifetimeCount: 600,
      publishingEnabled: true,
      priority: 1,
    });
    const group = ClientMonitoredItemGroup.create(
      created,
      subscription.items.map((item) => ({ nodeId: item.nodeId, attributeId: AttributeIds.Value })),
      {
        samplingInterval: workload.samplingIntervalMs,
        queueSize: workload.queueSize,
        discardOldest: true,
      },
      TimestampsToReturn.Both,
    );
    group.on('changed', () => changes++);
    await new Promise<void>((resolve, reject) => {
      group.once('initialized', resolve);
      group.once('err', (message: string) => reject(new Error(message)));
    });
  }
  return {
    count: () => changes,
    stop: async () => {
      await session.close();
      await client.disconnect();
    },
  };
}
