import type { TargetState } from '@threadline/observability';
import { CircuitBreaker } from './circuit-breaker';
import { CircuitOpenError } from './http.errors';
import { ManualClock } from './manual-clock';

function breakerWithClock() {
  const clock = new ManualClock(1_000_000);
  const states: TargetState[] = [];
  const breaker = new CircuitBreaker({
    system: 'erp',
    failureThreshold: 3,
    openSeconds: 10,
    clock,
    onStateChange: (state) => states.push(state),
  });
  const fail = (times: number) => {
    for (let index = 0; index < times; index += 1) breaker.acquire().failed();
  };
  return { clock, states, breaker, fail };
}

describe('CircuitBreaker', () => {
  it('stays closed below the threshold and a success resets the count', () => {
    const { breaker, fail, states } = breakerWithClock();
    fail(2);
    breaker.acquire().succeeded();
    fail(2);
    expect(breaker.circuitState).toBe('closed');
    expect(breaker.state()).toBe('up');
    expect(states).toEqual([]);
  });

  it('opens after failureThreshold consecutive failures and rejects without a call', () => {
    const { breaker, fail, states } = breakerWithClock();
    fail(3);
    expect(breaker.state()).toBe('down');
    expect(states).toEqual(['down']);
    expect(() => breaker.acquire()).toThrow(CircuitOpenError);
    expect(() => breaker.acquire()).toThrow('circuit open for erp');
  });

  it('lets one trial through after openSeconds and closes when it succeeds', async () => {
    const { breaker, fail, clock, states } = breakerWithClock();
    fail(3);
    await clock.advance(9_999);
    expect(() => breaker.acquire()).toThrow(CircuitOpenError);
    await clock.advance(1);
    const trial = breaker.acquire();
    expect(breaker.state()).toBe('degraded');
    expect(() => breaker.acquire()).toThrow(CircuitOpenError); // one trial at a time
    trial.succeeded();
    expect(breaker.state()).toBe('up');
    expect(states).toEqual(['down', 'degraded', 'up']);
    breaker.acquire().succeeded();
  });

  it('opens again for a full openSeconds when the trial fails', async () => {
    const { breaker, fail, clock, states } = breakerWithClock();
    fail(3);
    await clock.advance(10_000);
    breaker.acquire().failed();
    expect(breaker.state()).toBe('down');
    await clock.advance(9_999);
    expect(() => breaker.acquire()).toThrow(CircuitOpenError);
    await clock.advance(1);
    breaker.acquire().succeeded();
    expect(states).toEqual(['down', 'degraded', 'down', 'degraded', 'up']);
  });

  it('frees the trial slot when the trial is abandoned, without changing state', async () => {
    const { breaker, fail, clock } = breakerWithClock();
    fail(3);
    await clock.advance(10_000);
    breaker.acquire().abandoned();
    expect(breaker.state()).toBe('degraded');
    breaker.acquire().succeeded();
    expect(breaker.state()).toBe('up');
  });

  it('counts only the first outcome reported on a permit', () => {
    const { breaker } = breakerWithClock();
    const permit = breaker.acquire();
    permit.failed();
    permit.failed();
    permit.failed();
    breaker.acquire().failed();
    expect(breaker.state()).toBe('up');
  });
});
