import { HttpError, json, type HttpRouter } from '../http/http-router';
import { requireObject } from '../http/request-fields';
import { MACHINES, SIGNALS, type MachineId, type SignalName } from '../plc/plc-machines.model';
import type { ShopFloor } from '../plc/shop-floor';

function machineParam(value: string | undefined): MachineId {
  if (!MACHINES.includes(value as MachineId)) {
    throw new HttpError(404, 'UNKNOWN_MACHINE', `Machine must be one of ${MACHINES.join(', ')}`);
  }
  return value as MachineId;
}

function signalParam(value: string | undefined): SignalName {
  if (!SIGNALS.includes(value as SignalName)) {
    throw new HttpError(404, 'UNKNOWN_SIGNAL', `Signal must be one of ${SIGNALS.join(', ')}`);
  }
  return value as SignalName;
}

function valueOf(body: unknown): number | boolean {
  const { value } = requireObject(body);
  if (typeof value !== 'number' && typeof value !== 'boolean') {
    throw new HttpError(400, 'INVALID_FIELD', "Field 'value' must be a number or a boolean");
  }
  return value;
}

/**
 * Shop-floor faults: inject a value (an alarm, a stopped machine), freeze or release a signal,
 * restart a server or drop its connections.
 */
export function registerPlcRoutes(router: HttpRouter, floor: ShopFloor): void {
  const signal = (params: Record<string, string | undefined>) =>
    [machineParam(params.machine), signalParam(params.signal)] as const;
  router
    .add('POST', '/_sim/plc/machines/:machine/:signal', (request) => {
      const [machine, name] = signal(request.params);
      floor.machines.inject(machine, name, valueOf(request.body));
      return json(200, { machine, signal: name, value: floor.machines.read(machine, name) });
    })
    .add('POST', '/_sim/plc/machines/:machine/:signal/freeze', (request) => {
      const [machine, name] = signal(request.params);
      floor.machines.freeze(machine, name);
      return json(200, { machine, signal: name, value: floor.machines.read(machine, name) });
    })
    .add('DELETE', '/_sim/plc/machines/:machine/:signal', (request) => {
      const [machine, name] = signal(request.params);
      floor.machines.release(machine, name);
      return json(200, { machine, signal: name, value: floor.machines.read(machine, name) });
    })
    .add('POST', '/_sim/plc/opcua/restart', async () => {
      await floor.opcua.restart();
      return json(200, { restarted: 'opcua' });
    })
    .add('POST', '/_sim/plc/opcua/drop-connections', () => {
      floor.opcua.dropConnections();
      return json(200, { dropped: 'opcua' });
    })
    .add('POST', '/_sim/plc/modbus/restart', async () => {
      await floor.modbus.restart();
      return json(200, { restarted: 'modbus' });
    })
    .add('POST', '/_sim/plc/modbus/drop-connections', () => {
      floor.modbus.dropConnections();
      return json(200, { dropped: 'modbus' });
    });
}
