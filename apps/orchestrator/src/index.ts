/** Public entry of the orchestrator service, for the all-in-one composition root (ADR 0006). */
export { ORCHESTRATOR_SERVICE, OrchestratorLifecycle } from './orchestrator.service';
export { FlowEngine } from './engine/flow-engine';
export { FLOWS } from './flows';
export { loadOrchestratorConfig, orchestratorConfig } from './config/orchestrator-config';
