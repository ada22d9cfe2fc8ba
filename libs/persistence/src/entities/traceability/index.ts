import { HoldPropagation } from './hold-propagation.entity';
import { Lot } from './lot.entity';
import { LotEvent } from './lot-event.entity';
import { LotHold } from './lot-hold.entity';
import { LotLink } from './lot-link.entity';
import { OrderLot } from './order-lot.entity';
import { ProductionOrder } from './production-order.entity';
import { ShipmentLine } from './shipment-line.entity';
import { TraceGap } from './trace-gap.entity';

export {
  HoldPropagation,
  Lot,
  LotEvent,
  LotHold,
  LotLink,
  OrderLot,
  ProductionOrder,
  ShipmentLine,
  TraceGap,
};
export type { LotOrigin } from './lot.entity';

/** The genealogy index the traceability service keeps (ADR 0008). */
export const TRACEABILITY_ENTITIES = [
  Lot,
  LotLink,
  OrderLot,
  ProductionOrder,
  ShipmentLine,
  LotEvent,
  LotHold,
  TraceGap,
  HoldPropagation,
] as const;
