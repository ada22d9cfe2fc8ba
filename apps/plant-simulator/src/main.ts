import { startPlantSimulator } from './plant-simulator';

/** Runs the plant simulator as its own process (demos, docker-compose). */
async function main(): Promise<void> {
  const port = Number(process.env.SIM_PORT ?? 4000);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new Error(`SIM_PORT must be a port number, got '${process.env.SIM_PORT}'`);
  }
  const simulator = await startPlantSimulator({
    port,
    host: process.env.SIM_HOST ?? '0.0.0.0',
    webhookSecret: process.env.QMS_WEBHOOK_SECRET,
    webhookUrls: (process.env.QMS_WEBHOOK_URLS ?? '')
      .split(',')
      .map((url) => url.trim())
      .filter(Boolean),
  });
  process.stdout.write(`plant-simulator listening on ${simulator.url}\n`);
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
