import { resolve } from 'node:path';
import {
  Inject,
  Injectable,
  Module,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import {
  ConnectorRegistry,
  configFileFor,
  loadConnectorConfigsOrThrow,
} from '@threadline/connector-sdk/config';
import { MessagingRuntime, type ServiceDefinition } from '@threadline/messaging';
import { PLC_CONNECTOR } from './plc.connector';
import { PlcHost } from './plc.host';
import { createSignalSources } from './plc-sources';

/** The PLC host from the one `system: plc` configuration in CONNECTORS_DIR. */
export function plcHostFromEnvironment(runtime: MessagingRuntime, env: NodeJS.ProcessEnv): PlcHost {
  const directory = resolve(env.CONNECTORS_DIR ?? 'connectors');
  const registry = new ConnectorRegistry([PLC_CONNECTOR]);
  const [loaded] = loadConnectorConfigsOrThrow([configFileFor(directory, 'plc')], env, {
    rules: registry.rules(),
  });
  return new PlcHost({ config: loaded.config, runtime, sources: createSignalSources });
}

@Injectable()
class PlcLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(@Inject(PlcHost) private readonly host: PlcHost) {}
  onApplicationBootstrap(): Promise<void> {
    return this.host.start();
  }
  beforeApplicationShutdown(): Promise<void> {
    return this.host.stop();
  }
}

@Module({
  providers: [
    {
      provide: PlcHost,
      inject: [MessagingRuntime],
      useFactory: (runtime: MessagingRuntime) => plcHostFromEnvironment(runtime, process.env),
    },
    PlcLifecycle,
  ],
})
class ConnectorPlcModule {}

export const CONNECTOR_PLC_SERVICE: ServiceDefinition = {
  name: 'connector-plc',
  module: ConnectorPlcModule,
  description: 'PLC: OPC UA and Modbus signals in; telemetry, alarms and downtime out',
  health: (app) => app.get(PlcHost).health(),
};
