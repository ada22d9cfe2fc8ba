import type { AddressInfo } from 'node:net';
import { createCmmsApp } from './cmms/cmms.routes';
import { createErpApp } from './erp/erp.app';
import { FaultInjector } from './faults/fault-injector';
import { HttpRouter } from './http/http-router';
import { createSimulatorServer } from './http/simulator-server';
import { createMesApp } from './mes/mes.routes';
import { QmsWebhookSender, type WebhookSenderOptions } from './qms/qms-webhook.sender';
import { createQmsApp } from './qms/qms.routes';
import { QmsService } from './qms/qms.service';
import { registerControlRoutes } from './sim/sim-control.routes';
import { registerDriveRoutes } from './sim/sim-drive.routes';
import { registerPlcRoutes } from './sim/sim-plc.routes';
import type { ShopFloor, ShopFloorOptions } from './plc/shop-floor';
import type { SimulatorState } from './state/simulator-state';
import { SimulatorStore } from './state/simulator-store';

export interface PlantSimulatorOptions {
  /** 0 picks a free port (tests). */
  port?: number;
  host?: string;
  webhookSecret?: string;
  webhookUrls?: string[];
  webhook?: Partial<Omit<WebhookSenderOptions, 'secret'>>;
  /** Also start the shop floor: OPC UA and Modbus TCP servers over one machine model. */
  plc?: Omit<ShopFloorOptions, 'host'>;
}

export interface PlantSimulator {
  url: string;
  /** The shop floor, when `plc` was given. */
  readonly plc?: ShopFloor;
  /** The live state; after a reset this returns the new state object. */
  readonly state: SimulatorState;
  close(): Promise<void>;
}

export const DEFAULT_WEBHOOK_SECRET = 'threadline-sim-secret';

/** Starts ERP, MES, QMS and CMMS on one port (and the shop floor when asked); resolves once listening. */
export async function startPlantSimulator(
  options: PlantSimulatorOptions = {},
): Promise<PlantSimulator> {
  const store = new SimulatorStore(options.webhookUrls ?? []);
  const faults = new FaultInjector(store);
  const webhooks = new QmsWebhookSender(store, {
    secret: options.webhookSecret ?? DEFAULT_WEBHOOK_SECRET,
    maxAttempts: options.webhook?.maxAttempts ?? 5,
    retryDelayMs: options.webhook?.retryDelayMs ?? 500,
    timeoutMs: options.webhook?.timeoutMs ?? 5000,
  });
  const qms = new QmsService(store, webhooks);
  const control = new HttpRouter();
  registerControlRoutes(control, store, faults, webhooks);
  registerDriveRoutes(control, store, qms);
  // node-opcua loads only for a shop floor: it is slow to load and logs a warning on Node 20.
  const floor = options.plc
    ? await (
        await import('./plc/shop-floor')
      ).startShopFloor({ ...options.plc, host: options.host ?? '127.0.0.1' })
    : undefined;
  if (floor) registerPlcRoutes(control, floor);
  const server = createSimulatorServer(
    [createErpApp(store), createMesApp(store), createQmsApp(store, qms), createCmmsApp(store)],
    control,
    store,
    faults,
  );
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 4000, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}`,
    plc: floor,
    get state() {
      return store.state;
    },
    async close() {
      await floor?.close();
      await webhooks.close();
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
    },
  };
}
