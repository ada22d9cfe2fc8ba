import { HttpError, json, type HttpRouter } from '../http/http-router';
import { requireObject, requiredString } from '../http/request-fields';
import { parseFaultConfig, type FaultInjector } from '../faults/fault-injector';
import type { QmsWebhookSender } from '../qms/qms-webhook.sender';
import { isSystemName, SYSTEM_NAMES, type SystemName } from '../simulator.types';
import type { SimulatorStore } from '../state/simulator-store';

function systemParam(value: string | undefined): SystemName {
  if (value === undefined || !isSystemName(value)) {
    throw new HttpError(404, 'UNKNOWN_SYSTEM', `System must be one of ${SYSTEM_NAMES.join(', ')}`);
  }
  return value;
}

function readWebhookUrl(body: unknown): string {
  const url = requiredString(requireObject(body), 'url');
  if (!/^https?:\/\//.test(url))
    throw new HttpError(400, 'INVALID_FIELD', "Field 'url' must be an http(s) URL");
  return url;
}

/** State, reset, fault injection and webhook registration: the simulator's own control API. */
export function registerControlRoutes(
  router: HttpRouter,
  store: SimulatorStore,
  faults: FaultInjector,
  webhooks: QmsWebhookSender,
): void {
  router
    .add('GET', '/_sim/state', () => json(200, store.state))
    .add('POST', '/_sim/reset', () => {
      store.reset();
      return json(200, { reset: true });
    })
    .add('GET', '/_sim/faults', () => json(200, store.state.faults))
    .add('POST', '/_sim/faults/:system', (request) => {
      const system = systemParam(request.params.system);
      faults.set(system, parseFaultConfig(request.body, Date.now()));
      return json(200, { system, fault: store.state.faults[system] });
    })
    .add('DELETE', '/_sim/faults/:system', (request) => {
      const system = systemParam(request.params.system);
      faults.clear(system);
      return json(200, { system, fault: null });
    })
    .add('GET', '/_sim/requests/:system', (request) =>
      json(200, { items: store.state.requestLog[systemParam(request.params.system)] }),
    )
    .add('POST', '/_sim/qms/webhooks', (request) => {
      const url = readWebhookUrl(request.body);
      const urls = store.state.qms.webhookUrls;
      if (!urls.includes(url)) urls.push(url);
      return json(201, { urls });
    })
    .add('DELETE', '/_sim/qms/webhooks', () => {
      store.state.qms.webhookUrls = [];
      return json(200, { urls: [] });
    })
    .add('POST', '/_sim/qms/webhooks/deliveries/:webhookId/redeliver', (request) => {
      const delivery = store.state.qms.webhookDeliveries.find(
        (candidate) => candidate.webhookId === request.params.webhookId,
      );
      if (!delivery)
        throw new HttpError(
          404,
          'DELIVERY_NOT_FOUND',
          `No webhook delivery ${request.params.webhookId}`,
        );
      webhooks.redeliver(delivery);
      return json(202, { webhookId: delivery.webhookId });
    });
}
