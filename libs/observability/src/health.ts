import type { TargetState } from './metric-labels';

/** One part of a service's health: the broker, the database, a connector's target. */
export interface ComponentHealth {
  name: string;
  state: TargetState;
}

/** The readiness endpoint's answer: `down` when any essential part is down. */
export interface ReadinessReport {
  status: TargetState;
  components: ComponentHealth[];
}

/**
 * Essential components (broker, database) decide between up and down; any other component
 * that is not up makes the service degraded: it still works, with that target's commands
 * waiting in their retry tiers.
 */
export function readinessOf(
  essential: readonly ComponentHealth[],
  others: readonly ComponentHealth[],
): ReadinessReport {
  const components = [...essential, ...others];
  if (essential.some((component) => component.state !== 'up'))
    return { status: 'down', components };
  const degraded = others.some((component) => component.state !== 'up');
  return { status: degraded ? 'degraded' : 'up', components };
}
