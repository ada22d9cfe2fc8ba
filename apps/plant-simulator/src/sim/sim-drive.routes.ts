import { completeWorkOrder, endDowntime, startDowntime } from '../cmms/cmms.operations';
import { json, type HttpRouter } from '../http/http-router';
import { requireObject } from '../http/request-fields';
import type { QmsService } from '../qms/qms.service';
import type { SimulatorStore } from '../state/simulator-store';
import { registerErpDrive } from './sim-drive-erp.routes';
import { registerMesDrive } from './sim-drive-mes.routes';

/** Defaults that keep drive calls short in tests and demos; any field may be overridden. */
const DEFAULT_NONCONFORMANCE = {
  severity_level: 'MAJOR',
  defect_code: 'DIM-OUT-OF-TOLERANCE',
  description: 'Dimension out of tolerance found at final inspection',
};
const DEFAULT_MEASUREMENTS = [
  {
    characteristic: 'bore-diameter',
    measured_value: 12.01,
    unit: 'mm',
    lower_limit: 11.95,
    upper_limit: 12.05,
  },
];

function registerQualityAndMaintenanceDrive(
  router: HttpRouter,
  store: SimulatorStore,
  qms: QmsService,
): void {
  router
    .add('POST', '/_sim/qms/nonconformances', (request) =>
      json(201, qms.raise({ ...DEFAULT_NONCONFORMANCE, ...requireObject(request.body) })),
    )
    .add('POST', '/_sim/qms/nonconformances/:ncNumber/disposition', (request) =>
      json(200, qms.disposition(request.params.ncNumber, request.body)),
    )
    .add('POST', '/_sim/qms/nonconformances/:ncNumber/close', (request) =>
      json(200, qms.close(request.params.ncNumber, request.body)),
    )
    .add('POST', '/_sim/qms/inspections', (request) => {
      const body = requireObject(request.body);
      const lot = qms.createInspectionLot({ origin: 'FINAL', ...body });
      return json(
        201,
        qms.recordResult(lot.inspection_lot_number, {
          measurements: DEFAULT_MEASUREMENTS,
          ...body,
        }),
      );
    })
    .add('POST', '/_sim/cmms/workorders/:workOrderNumber/complete', (request) =>
      json(200, completeWorkOrder(store, request.params.workOrderNumber, request.body)),
    )
    .add('POST', '/_sim/cmms/downtime', (request) => json(201, startDowntime(store, request.body)))
    .add('POST', '/_sim/cmms/downtime/:downtimeId/end', (request) =>
      json(200, endDowntime(store, request.params.downtimeId)),
    );
}

/** `POST /_sim/...`: make things happen in the plant the way a user or a machine would. */
export function registerDriveRoutes(
  router: HttpRouter,
  store: SimulatorStore,
  qms: QmsService,
): void {
  registerErpDrive(router, store);
  registerMesDrive(router, store);
  registerQualityAndMaintenanceDrive(router, store, qms);
}
