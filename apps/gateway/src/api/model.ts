/** What the gateway's routes answer (the OpenAPI schemas in schemas.ts implement these). */

export type FlowState = 'running' | 'escalated' | 'completed' | 'failed';
export const FLOW_STATES: readonly FlowState[] = ['running', 'escalated', 'completed', 'failed'];

export interface FlowStepView {
  name: string;
  state: string;
  at: string;
  detail: Record<string, unknown> | null;
}

export interface FlowSummary {
  id: string;
  type: string;
  state: FlowState;
  subject: string;
  plant: string;
  correlationId: string;
  /** The step the flow is at; null once it has ended. */
  currentStep: string | null;
  startedAt: string;
  updatedAt: string;
}

export interface FlowView extends FlowSummary {
  steps: FlowStepView[];
}

export interface EventView {
  id: string;
  type: string;
  time: string;
  subject: string;
  correlationId: string;
  causationId: string | null;
  plant: string;
  source: string;
  recordedAt: string;
  data: unknown;
}

export interface DeadLetterQueueView {
  queue: string;
  depth: number;
}

export interface DeadLetterView {
  messageId: string;
  routingKey: string;
  headers: Record<string, unknown>;
  /** The body as text: JSON pretty-printed, anything else as it came. */
  body: string;
}

/** Events sent again from the event log. */
export interface ReplayView {
  replayed: number;
  ids: string[];
}

export interface RedriveView {
  queue: string;
  moved: number;
  movedIds: string[];
  missingIds: string[];
  actionId: string;
}

export type ConnectorHealthState = 'up' | 'down' | 'unchecked';

export interface ConnectorTargetView {
  /** http, opcua or modbus. */
  kind: string;
  name: string;
  /** Where it points, without credentials. */
  url: string;
}

export interface ConnectorHealthView {
  state: ConnectorHealthState;
  /** The probed URL (base URL and probe path); null when not probed. */
  probe: string | null;
  status: number | null;
  latencyMs: number | null;
  error: string | null;
  checkedAt: string | null;
}

export interface ConnectorView {
  name: string;
  plant: string;
  system: string;
  adapter: string;
  description: string | null;
  file: string;
  targets: ConnectorTargetView[];
  health: ConnectorHealthView;
}
