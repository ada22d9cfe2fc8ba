import { HttpError } from '../http/http-router';
import type {
  MesConfirmation,
  MesConsumption,
  MesLine,
  MesOutputDeclaration,
} from '../simulator.types';
import type { SimulatorStore } from '../state/simulator-store';

/** Business changes in the MES simulation, shared by its REST routes and the drive API. */
export function findLine(store: SimulatorStore, lineId: string): MesLine {
  const line = store.state.mes.lines[lineId];
  if (!line) throw new HttpError(404, 'LINE_NOT_FOUND', `Line ${lineId} does not exist`);
  return line;
}

export function stopLine(
  store: SimulatorStore,
  lineId: string,
  reason: string,
  reference: string | null,
): MesLine {
  const line = findLine(store, lineId);
  if (line.state === 'STOPPED')
    throw new HttpError(409, 'LINE_ALREADY_STOPPED', `Line ${lineId} is already stopped`);
  const at = store.now();
  Object.assign(line, {
    state: 'STOPPED',
    stopReason: reason,
    stopReference: reference,
    stoppedAt: at,
    updatedAt: at,
  });
  store.state.mes.lineEvents.push({
    sequence: store.nextSequence(),
    eventId: store.nextId('LE-', 7),
    lineId,
    equipmentId: line.equipmentId,
    kind: 'STOPPED',
    reason,
    at,
    stoppedSeconds: null,
  });
  return line;
}

export function resumeLine(store: SimulatorStore, lineId: string, reason: string): MesLine {
  const line = findLine(store, lineId);
  if (line.state === 'RUNNING')
    throw new HttpError(409, 'LINE_NOT_STOPPED', `Line ${lineId} is already running`);
  const at = store.now();
  const stoppedSeconds = Math.round((Date.parse(at) - Date.parse(line.stoppedAt ?? at)) / 1000);
  Object.assign(line, { state: 'RUNNING', resumedAt: at, updatedAt: at });
  store.state.mes.lineEvents.push({
    sequence: store.nextSequence(),
    eventId: store.nextId('LE-', 7),
    lineId,
    equipmentId: line.equipmentId,
    kind: 'RESUMED',
    reason,
    at,
    stoppedSeconds,
  });
  return line;
}

type WithoutIds<T> = Omit<T, 'sequence' | 'confirmationId' | 'consumptionId' | 'declarationId'>;

export function recordConfirmation(
  store: SimulatorStore,
  input: Omit<WithoutIds<MesConfirmation>, 'completedAt'>,
): MesConfirmation {
  const record = {
    ...input,
    sequence: store.nextSequence(),
    confirmationId: store.nextId('CNF-', 7),
    completedAt: store.now(),
  };
  store.state.mes.confirmations.push(record);
  return record;
}

export function recordConsumption(
  store: SimulatorStore,
  input: Omit<WithoutIds<MesConsumption>, 'consumedAt'>,
): MesConsumption {
  const record = {
    ...input,
    sequence: store.nextSequence(),
    consumptionId: store.nextId('CSM-', 7),
    consumedAt: store.now(),
  };
  store.state.mes.consumptions.push(record);
  return record;
}

export function declareOutput(
  store: SimulatorStore,
  input: Omit<WithoutIds<MesOutputDeclaration>, 'declaredAt'>,
): MesOutputDeclaration {
  const record = {
    ...input,
    sequence: store.nextSequence(),
    declarationId: store.nextId('OUT-', 7),
    declaredAt: store.now(),
  };
  store.state.mes.outputDeclarations.push(record);
  return record;
}
