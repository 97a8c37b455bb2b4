export {
  applyOrderEvent,
  createOrder,
  isTerminal,
  remainingQty,
  ORDER_STATUSES,
  TERMINAL_STATUSES,
  type Order,
  type OrderEvent,
  type OrderEventType,
  type OrderEventResult,
  type OrderRequest,
  type OrderStatus,
  type ReportedStatus,
  type Fill,
} from "./order";
export { OrderLedger, DuplicateClientOrderIdError } from "./ledger";
export type { WorkingOrderView } from "./working-order-view";
export { orderInconsistency } from "./consistency";
export { DEFAULT_PLACEMENT_LIFE, isNotFoundFinal, placementDeadline, type PlacementLife } from "./placement-life";
