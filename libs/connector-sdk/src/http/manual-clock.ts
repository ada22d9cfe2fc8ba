import type { Clock } from './clock';

interface PendingSleep {
  at: number;
  resolve: () => void;
}

/**
 * A clock that only moves when told to, for deterministic tests of time-based policies.
 * `advance` wakes sleepers in time order and lets their follow-up work run before moving on.
 */
export class ManualClock implements Clock {
  private current: number;
  private readonly sleepers: PendingSleep[] = [];

  constructor(start = 0) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  sleep(milliseconds: number): Promise<void> {
    return new Promise((resolve) => {
      this.sleepers.push({ at: this.current + Math.max(0, milliseconds), resolve });
    });
  }

  /** Sleepers not yet woken. */
  get pendingSleeps(): number {
    return this.sleepers.length;
  }

  async advance(milliseconds: number): Promise<void> {
    const target = this.current + milliseconds;
    await settle();
    for (let next = this.nextDue(target); next; next = this.nextDue(target)) {
      this.current = next.at;
      this.sleepers.splice(this.sleepers.indexOf(next), 1);
      next.resolve();
      await settle();
    }
    this.current = target;
    await settle();
  }

  private nextDue(target: number): PendingSleep | undefined {
    const due = this.sleepers.filter((sleeper) => sleeper.at <= target);
    return due.sort((left, right) => left.at - right.at)[0];
  }
}

/** Lets every queued promise continuation run. */
function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
