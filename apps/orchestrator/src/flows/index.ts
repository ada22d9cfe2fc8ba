import { equipmentMaintenanceFlow } from './equipment-maintenance.flow';
import { incomingInspectionFlow } from './incoming-inspection.flow';
import { inProcessFailureFlow } from './in-process-failure.flow';
import { ncrContainmentFlow } from './ncr-containment.flow';

/** Every flow the orchestrator runs. */
export const FLOWS = [
  ncrContainmentFlow,
  incomingInspectionFlow,
  equipmentMaintenanceFlow,
  inProcessFailureFlow,
] as const;
