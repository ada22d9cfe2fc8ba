import { startPlantSimulator } from './plant-simulator';

/** Runs the plant simulator as its own process (demos, docker-compose). */
async function main(): Promise<void> {
  const port = Number(process.env.SIM_PORT ?? 4000);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new Error(`SIM_PORT must be a port number, got '${process.env.SIM_PORT}'`);
  }
  const plcPort = (name: string, fallback: number) => {
    const value = Number(process.env[name] ?? fallback);
    if (!Number.isInteger(value) || value < 0 || value > 65_535) {
      throw new Error(`${name} must be a port number, got '${process.env[name]}'`);
    }
    return value;
  };
  const simulator = await startPlantSimulator({
    port,
    host: process.env.SIM_HOST ?? '0.0.0.0',
    webhookSecret: process.env.QMS_WEBHOOK_SECRET,
    webhookUrls: (process.env.QMS_WEBHOOK_URLS ?? '')
      .split(',')
      .map((url) => url.trim())
      .filter(Boolean),
    plc:
      process.env.SIM_PLC === 'off'
        ? undefined
        : {
            opcuaPort: plcPort('SIM_OPCUA_PORT', 4840),
            modbusPort: plcPort('SIM_MODBUS_PORT', 5020),
            pkiDir: process.env.SIM_PKI_DIR ?? './data/simulator-pki',
          },
  });
  process.stdout.write(`plant-simulator listening on ${simulator.url}\n`);
  if (simulator.plc) {
    process.stdout.write(
      `  OPC UA ${simulator.plc.opcua.endpointUrl}, Modbus TCP port ${simulator.plc.modbus.port}\n`,
    );
  }
  const shutdown = () => {
    void simulator.close().then(() => process.exit(0));
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `plant-simulator failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
