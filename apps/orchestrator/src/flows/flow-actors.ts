import type { AuditActor } from '@threadline/audit';
import type { Actor } from '@threadline/contracts';

/** Who asks when a flow acts on its own. */
export const ORCHESTRATOR: Actor = {
  id: 'threadline-orchestrator',
  kind: 'system',
  name: 'Threadline orchestrator',
};

export const SEVERITY_RANK = { minor: 0, major: 1, critical: 2 } as const;

/** An event's actor as the audit log names it (a person, or the system). */
export function auditActor(actor: Actor): AuditActor {
  return { id: actor.id, kind: actor.kind === 'user' ? 'user' : 'system' };
}
