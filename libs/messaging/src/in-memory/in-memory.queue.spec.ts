import { Fifo } from './in-memory.queue';

describe('Fifo', () => {
  it('keeps order across compactions, put-backs and partial reads', () => {
    const fifo = new Fifo<number>();
    for (let i = 0; i < 5_000; i++) fifo.push(i);
    const taken: number[] = [];
    // Past the compaction threshold, so the consumed prefix is dropped at least once.
    for (let i = 0; i < 3_000; i++) taken.push(fifo.shift()!);
    expect(taken).toEqual(Array.from({ length: 3_000 }, (_, i) => i));
    fifo.unshift([2_998, 2_999]);
    expect(fifo.length).toBe(2_002);
    expect(fifo.toArray(3)).toEqual([2_998, 2_999, 3_000]);
    const rest = fifo.takeAll();
    expect(rest).toEqual(Array.from({ length: 2_002 }, (_, i) => 2_998 + i));
    expect(fifo.length).toBe(0);
    expect(fifo.shift()).toBeUndefined();
  });

  it('puts back a list longer than a call may take arguments', () => {
    const fifo = new Fifo<number>();
    fifo.push(-1);
    const many = Array.from({ length: 200_000 }, (_, i) => i);
    fifo.unshift(many);
    expect(fifo.length).toBe(200_001);
    expect(fifo.peek()).toBe(0);
    expect(fifo.toArray().at(-1)).toBe(-1);
  });
});
