import { SeededRandom, floats, ints, type Column } from './trace-stats';

/**
 * A plant network's genealogy, generated shift by shift so that lot seqs follow time as the
 * service assigns them. Each production line has 1-12 stages; in a cycle it runs one order per
 * stage, each consuming 1-5 lots the previous stage made recently (time locality, co-mingling)
 * plus 0-2 component lots, and declaring 1 output or, as a split, 2-3. Raw lots are received
 * when the lot in use runs out: the line's own materials last a few orders, shared commodities
 * (resin, steel coil) hundreds, which gives the occasional raw lot thousands of descendants.
 */
export interface Genealogy {
  readonly materials: readonly string[];
  readonly lines: { readonly plant: Int32Array; readonly depth: Int32Array };
  /** Index = seq - 1. stage 0 = received; order -1 for received lots. */
  readonly lots: LotColumns;
  readonly links: { from: Column<Int32Array>; to: Column<Int32Array>; order: Column<Int32Array> };
  readonly linkQuantity: Column<Float64Array>;
  readonly orders: { line: Column<Int32Array>; time: Column<Float64Array> };
  /** role 0 = input, 1 = output. */
  readonly orderLots: {
    order: Column<Int32Array>;
    role: Column<Int32Array>;
    lot: Column<Int32Array>;
  };
  readonly orderLotQuantity: Column<Float64Array>;
  readonly orderLotTime: Column<Float64Array>;
  /** Lots at the last stage of their line, in the order they were made. */
  readonly finished: Column<Int32Array>;
}

export interface LotColumns {
  line: Column<Int32Array>;
  stage: Column<Int32Array>;
  material: Column<Int32Array>;
  order: Column<Int32Array>;
  time: Column<Float64Array>;
  quantity: Column<Float64Array>;
}

/** Lots per production line: the number of lines grows with the genealogy, not its shape. */
export const LOTS_PER_LINE = 12_000;
const SHIFT_SECONDS = 8 * 3600;
const START_SECONDS = Date.UTC(2024, 0, 1) / 1000;
/** Recent lots of a stage that the next stage draws from, and how fast preference decays. */
const POOL = 6;
const RECENCY = 0.55;
const DEPTH_WEIGHTS = [0, 4, 8, 14, 16, 14, 12, 9, 7, 5, 4, 3, 4];
const INPUT_WEIGHTS = [0, 8, 17, 30, 25, 20];
const OUTPUT_WEIGHTS = [0, 82, 11, 7];
const COMPONENT_WEIGHTS = [20, 45, 35];

interface RawSource {
  material: number;
  current: number;
  previous: number;
  usesLeft: number;
  commodity: boolean;
}

interface Line {
  depth: number;
  runChance: number;
  /** sources[stage]: raw materials added at that stage; stage 1's are its main inputs. */
  sources: RawSource[][];
  /** pools[stage]: the last POOL lots that stage made, newest first. */
  pools: number[][];
  product: number[];
}

export function generateGenealogy(lotTarget: number, seed: number): Genealogy {
  const random = new SeededRandom(seed);
  const materials: string[] = [];
  const material = (name: string) => materials.push(name) - 1;
  const commodities: RawSource[] = Array.from(
    { length: Math.max(2, Math.round(lotTarget / LOTS_PER_LINE / 4)) },
    (_, i) => rawSource(material(`RM-COMMODITY-${i + 1}`), true),
  );
  const lineCount = Math.max(4, Math.round(lotTarget / LOTS_PER_LINE));
  const lines = Array.from({ length: lineCount }, (_, index) => {
    // One line is always as deep as genealogies get; the rest follow DEPTH_WEIGHTS.
    const depth = index === 0 ? DEPTH_WEIGHTS.length - 1 : random.weighted(DEPTH_WEIGHTS);
    const line = `${String(index + 1).padStart(4, '0')}`;
    const sources: RawSource[][] = [[]];
    for (let stage = 1; stage <= depth; stage++) {
      const count = stage === 1 ? random.int(1, 3) : random.weighted(COMPONENT_WEIGHTS);
      sources.push(
        Array.from({ length: count }, (_, i) =>
          stage > 1 && random.chance(0.25)
            ? commodities[random.int(0, commodities.length - 1)]
            : rawSource(material(`RM-${line}-${stage}-${i + 1}`), false),
        ),
      );
    }
    const product = Array.from({ length: depth + 1 }, (_, stage) =>
      material(stage === depth ? `FG-${line}` : `SA-${line}-${stage}`),
    );
    const pools = Array.from({ length: depth + 1 }, () => [] as number[]);
    return { depth, runChance: 0.35 + random.next() * 0.5, sources, pools, product };
  });

  const g: Genealogy = {
    materials,
    lines: {
      plant: Int32Array.from(lines, (_, i) => Math.floor(i / 8)),
      depth: Int32Array.from(lines, (line) => line.depth),
    },
    lots: {
      line: ints(),
      stage: ints(),
      material: ints(),
      order: ints(),
      time: floats(),
      quantity: floats(),
    },
    links: { from: ints(), to: ints(), order: ints() },
    linkQuantity: floats(),
    orders: { line: ints(), time: floats() },
    orderLots: { order: ints(), role: ints(), lot: ints() },
    orderLotQuantity: floats(),
    orderLotTime: floats(),
    finished: ints(),
  };

  const addLot = (line: number, stage: number, mat: number, order: number, time: number) => {
    g.lots.line.push(line);
    g.lots.stage.push(stage);
    g.lots.material.push(mat);
    g.lots.order.push(order);
    g.lots.time.push(time);
    return g.lots.quantity.push(stage === 0 ? random.int(2, 50) * 100 : random.int(5, 200) * 10);
  };
  let shiftStart = START_SECONDS;
  /** The raw lot in use, receiving a new one (before this shift) once it is used up. */
  const rawLots = (source: RawSource, lineIndex: number): number[] => {
    if (source.usesLeft <= 0) {
      source.previous = source.current;
      const receivedAt = shiftStart - random.int(1, 72) * 3600;
      source.current = addLot(lineIndex, 0, source.material, -1, receivedAt);
      source.usesLeft = source.commodity ? random.int(80, 300) : random.int(1, 3);
    }
    source.usesLeft -= 1;
    // At a changeover the rest of the previous lot goes in too (co-mingling).
    return source.previous >= 0 && random.chance(0.12)
      ? [source.current, source.previous]
      : [source.current];
  };

  const runOrder = (lineIndex: number, line: Line, stage: number, time: number) => {
    const inputs = new Set<number>();
    if (stage === 1) {
      for (const source of line.sources[1])
        for (const lot of rawLots(source, lineIndex)) inputs.add(lot);
    } else {
      const pool = line.pools[stage - 1];
      if (pool.length === 0) return;
      const wanted = Math.min(pool.length, random.weighted(INPUT_WEIGHTS));
      while (inputs.size < wanted) inputs.add(pool[recentIndex(random, pool.length)]);
      for (const source of line.sources[stage])
        for (const lot of rawLots(source, lineIndex)) inputs.add(lot);
    }
    const order = g.orders.line.push(lineIndex);
    g.orders.time.push(time);
    const outputs: number[] = [];
    const outputCount = random.weighted(OUTPUT_WEIGHTS);
    for (let i = 0; i < outputCount; i++) {
      const lot = addLot(lineIndex, stage, line.product[stage], order, time + 1800 + i * 60);
      outputs.push(lot);
      line.pools[stage].unshift(lot);
      if (line.pools[stage].length > POOL) line.pools[stage].pop();
      if (stage === line.depth) g.finished.push(lot);
    }
    for (const input of inputs) {
      const quantity = random.int(1, 20) * 10;
      orderLot(order, 0, input, quantity, time);
      for (const output of outputs) {
        g.links.from.push(input);
        g.links.to.push(output);
        g.links.order.push(order);
        g.linkQuantity.push(quantity);
      }
    }
    for (const output of outputs)
      orderLot(order, 1, output, g.lots.quantity.get(output), time + 1800);
  };
  const orderLot = (order: number, role: number, lot: number, quantity: number, time: number) => {
    g.orderLots.order.push(order);
    g.orderLots.role.push(role);
    g.orderLots.lot.push(lot);
    g.orderLotQuantity.push(quantity);
    g.orderLotTime.push(time);
  };

  for (let shift = 0; g.lots.line.length < lotTarget; shift++) {
    shiftStart = START_SECONDS + shift * SHIFT_SECONDS;
    for (let index = 0; index < lines.length && g.lots.line.length < lotTarget; index++) {
      const line = lines[index];
      if (!random.chance(line.runChance)) continue;
      const cycleStart = shiftStart + random.int(0, 120) * 60;
      for (let stage = 1; stage <= line.depth; stage++) {
        runOrder(index, line, stage, cycleStart + stage * 2400);
      }
    }
  }
  return g;
}

function rawSource(material: number, commodity: boolean): RawSource {
  return { material, current: -1, previous: -1, usesLeft: 0, commodity };
}

/** 0 (newest) is likeliest; each older lot is RECENCY times as likely as the one before. */
function recentIndex(random: SeededRandom, size: number): number {
  for (let i = 0; i < size - 1; i++) if (random.chance(1 - RECENCY)) return i;
  return size - 1;
}
