import type { Actor } from '@threadline/contracts';

/** Who asks when a flow acts on its own. */
export const ORCHESTRATOR: Actor = {
  id: 'threadline-orchestrator',
  kind: 'system',
  name: 'Threadline orchestrator',
};

export const SEVERITY_RANK = { minor: 0, major: 1, critical: 2 } as const;
