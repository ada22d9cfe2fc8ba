import { FlowInstance } from './flow-instance.entity';
import { FlowStep } from './flow-step.entity';
import { FlowTimer } from './flow-timer.entity';
import { FlowWait } from './flow-wait.entity';
import { OpenWorkOrder } from './open-work-order.entity';

export { FlowInstance, FlowStep, FlowTimer, FlowWait, OpenWorkOrder };
export type { FlowState } from './flow-instance.entity';

/** The orchestrator's durable flows (ADR 0009). */
export const FLOW_ENTITIES = [FlowInstance, FlowStep, FlowTimer, FlowWait, OpenWorkOrder] as const;
