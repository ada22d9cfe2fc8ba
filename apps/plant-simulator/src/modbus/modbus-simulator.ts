import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { ServerTCP, type IServiceVector } from 'modbus-serial';
import type { PlcMachines } from '../plc/plc-machines.model';
import {
  BENCH_REGISTER_START,
  LIVE_REGISTER_COUNT,
  benchRegisterWord,
  UNIT_MACHINES,
  liveRegisters,
  testPatternWords,
} from './modbus-register-map';

export interface ModbusSimulatorOptions {
  machines: PlcMachines;
  /** 0 picks a free port (tests). */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /**
   * Load generation (bench:plc): this many extra holding and input registers from address
   * BENCH_REGISTER_START (1000) on every unit, whose words differ at every read; default 0.
   */
  benchRegisters?: number;
}

/**
 * A Modbus TCP server playing the torque station (unit 1) and the mixer (unit 2); the register
 * map is in modbus-register-map.ts and the README. Values come from the shared PlcMachines, so
 * freezing or injecting a signal there shows here. Faults for tests are below.
 */
export interface ModbusSimulator {
  readonly port: number;
  /** A unit in this set never answers (its requests time out); others are unaffected. */
  readonly unresponsiveUnits: Set<number>;
  /** A unit in this map answers after that many milliseconds. */
  readonly responseDelayMs: Map<number, number>;
  /** Fixed holding and input register words at `address`…, over the map (raw tests). */
  setRegisters(unitId: number, address: number, words: readonly number[]): void;
  /** Destroys every client connection; the server keeps listening. */
  dropConnections(): void;
  /** Closes the server (and its connections) and listens again on the same port after `downtimeMs`. */
  restart(downtimeMs?: number): Promise<void>;
  close(): Promise<void>;
}

const ILLEGAL_DATA_ADDRESS = 0x02;
const GATEWAY_TARGET_FAILED = 0x0b;
const TEST_PATTERN = testPatternWords();

export async function startModbusSimulator(
  options: ModbusSimulatorOptions,
): Promise<ModbusSimulator> {
  const host = options.host ?? '127.0.0.1';
  const port = options.port ? options.port : await freePort(host);
  const simulator = new ModbusSimulatorServer(
    options.machines,
    host,
    port,
    options.benchRegisters ?? 0,
  );
  await simulator.listen();
  return simulator;
}

class ModbusSimulatorServer implements ModbusSimulator {
  readonly unresponsiveUnits = new Set<number>();
  readonly responseDelayMs = new Map<number, number>();
  private readonly overrides = new Map<number, Map<number, number>>();
  private server: ServerTCP | undefined;

  constructor(
    private readonly machines: PlcMachines,
    private readonly host: string,
    readonly port: number,
    private readonly benchRegisters: number,
  ) {}

  setRegisters(unitId: number, address: number, words: readonly number[]): void {
    const unit = this.overrides.get(unitId) ?? new Map<number, number>();
    words.forEach((word, index) => unit.set(address + index, word & 0xffff));
    this.overrides.set(unitId, unit);
  }

  dropConnections(): void {
    this.server?.socks.forEach((_, socket) => socket.destroy());
  }

  async restart(downtimeMs = 0): Promise<void> {
    await this.close();
    if (downtimeMs > 0) await new Promise((resolve) => setTimeout(resolve, downtimeMs));
    await this.listen();
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  async listen(): Promise<void> {
    // modbus-serial treats port 0 as "use 502", so a free port is chosen before (freePort).
    const server = new ServerTCP(this.vector(), { host: this.host, port: this.port });
    await new Promise<void>((resolve, reject) => {
      server.once('initialized', () => resolve());
      server.once('serverError', reject);
    });
    // A client that resets its connection must not take the simulator down.
    server.on('socketError', () => undefined);
    server.on('error', () => undefined);
    this.server = server;
  }

  private vector(): IServiceVector {
    const words = (address: number, length: number, unitId: number) =>
      this.answer(unitId, length, () => this.registerWords(unitId, address, length));
    const bit = (address: number, unitId: number) =>
      this.answer(unitId, 1, () => [this.runningBit(unitId, address)])[0];
    return {
      getMultipleHoldingRegisters: words,
      getMultipleInputRegisters: words,
      getHoldingRegister: (address: number, unitId: number) => words(address, 1, unitId)[0],
      getInputRegister: (address: number, unitId: number) => words(address, 1, unitId)[0],
      getCoil: bit,
      getDiscreteInput: bit,
    };
  }

  /** The values, or promises of them when the unit is slow or never answers. */
  private answer<Value>(
    unitId: number,
    count: number,
    values: () => Value[],
  ): Array<Value | Promise<Value>> {
    if (this.unresponsiveUnits.has(unitId)) {
      const never = new Promise<Value>(() => undefined);
      return Array.from({ length: count }, () => never);
    }
    const answered = values();
    const delay = this.responseDelayMs.get(unitId);
    if (!delay) return answered;
    const later = new Promise<Value[]>((resolve) => setTimeout(() => resolve(answered), delay));
    return answered.map((_, index) => later.then((all) => all[index]));
  }

  private registerWords(unitId: number, address: number, length: number): number[] {
    const machine = machineOf(unitId);
    const live = liveRegisters((signal) => this.machines.read(machine, signal));
    const overrides = this.overrides.get(unitId);
    const now = Date.now();
    return Array.from({ length }, (_, index) => {
      const at = address + index;
      const word =
        overrides?.get(at) ??
        (at < LIVE_REGISTER_COUNT ? live[at] : TEST_PATTERN.get(at)) ??
        (this.isBench(at) ? benchRegisterWord(at, now) : undefined);
      if (word === undefined) throw modbusException(ILLEGAL_DATA_ADDRESS, `no register ${at}`);
      return word;
    });
  }

  private isBench(address: number): boolean {
    return address >= BENCH_REGISTER_START && address < BENCH_REGISTER_START + this.benchRegisters;
  }

  private runningBit(unitId: number, address: number): boolean {
    const machine = machineOf(unitId);
    if (address !== 0) throw modbusException(ILLEGAL_DATA_ADDRESS, `no bit ${address}`);
    return Boolean(this.machines.read(machine, 'running'));
  }
}

function machineOf(unitId: number) {
  const machine = UNIT_MACHINES[unitId];
  if (!machine) throw modbusException(GATEWAY_TARGET_FAILED, `no unit ${unitId}`);
  return machine;
}

/** modbus-serial answers a thrown error with its `modbusErrorCode` as the exception code. */
function modbusException(code: number, message: string): Error {
  return Object.assign(new Error(message), { modbusErrorCode: code });
}

function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, host, () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}
