import type { WorkingOrderView } from "./working-order-view";
import type { Side } from "../side";
import { applyOrderEvent, createOrder, isTerminal, remainingQty, type Order, type OrderEvent, type OrderEventResult, type OrderRequest } from "./order";
import { DEFAULT_PLACEMENT_LIFE, type PlacementLife } from "./placement-life";

/** Pruned orders kept for a late fill or report (a fill recovered long after the close still counts), oldest out first. */
const ARCHIVE_LIMIT = 10_000;

export class DuplicateClientOrderIdError extends Error {
  override readonly name = "DuplicateClientOrderIdError";
  constructor(readonly clientOrderId: string) {
    super(`client order id ${clientOrderId} is already in the ledger`);
  }
}

/**
 * One bot's orders by clientOrderId. Every change goes through applyOrderEvent. Terminal orders leave the working
 * set when pruned but stay in an archive, so an event for one (a late fill, a status that reopens it) still finds
 * its order.
 */
export class OrderLedger {
  private readonly orders = new Map<string, Order>();
  private readonly archive = new Map<string, Order>();
  private changes = 0;
  private views: { version: number; views: WorkingOrderView[] } | null = null;
  private workingCache: { version: number; orders: readonly Order[] } | null = null;

  /** Grows with every change to the orders, so a caller can tell that nothing changed since it last looked. */
  get version(): number {
    return this.changes;
  }

  constructor(private readonly life: PlacementLife = DEFAULT_PLACEMENT_LIFE) {}

  /** Records a request about to be sent; a reused clientOrderId is a bug and throws. */
  submit(request: OrderRequest): Order {
    if (this.has(request.clientOrderId)) throw new DuplicateClientOrderIdError(request.clientOrderId);
    const order = createOrder(request);
    this.orders.set(order.clientOrderId, order);
    this.changes++;
    return order;
  }

  /** Applies an event; `null` when the clientOrderId is not ours (an orphan for reconciliation to handle). */
  apply(clientOrderId: string, event: OrderEvent): OrderEventResult | null {
    const order = this.get(clientOrderId);
    if (!order) return null;
    const result = applyOrderEvent(order, event, this.life);
    if (result.kind === "applied") {
      this.archive.delete(clientOrderId);
      this.orders.set(clientOrderId, result.order);
      this.changes++;
    }
    return result;
  }

  /** The order, archived ones included. */
  get(clientOrderId: string): Order | undefined {
    return this.orders.get(clientOrderId) ?? this.archive.get(clientOrderId);
  }

  has(clientOrderId: string): boolean {
    return this.orders.has(clientOrderId) || this.archive.has(clientOrderId);
  }

  all(): Order[] {
    return [...this.orders.values()];
  }

  /** Orders that may be on the exchange now: not terminal (PENDING_NEW and UNKNOWN included). */
  working(side?: Side): readonly Order[] {
    if (this.workingCache?.version !== this.changes) {
      this.workingCache = { version: this.changes, orders: this.all().filter((o) => !isTerminal(o.status)) };
    }
    const orders = this.workingCache.orders;
    return side === undefined ? orders : orders.filter((o) => o.side === side);
  }

  /** Orders open in the KPI sense: acknowledged and not yet cancelled, expired or filled. */
  open(side?: Side): readonly Order[] {
    return this.working(side).filter((o) => o.acknowledgedAt !== null);
  }

  /** Working orders as the requote planner sees them. */
  workingViews(): readonly WorkingOrderView[] {
    if (this.views?.version === this.changes) return this.views.views;
    const views = this.working().map((o) => ({
      clientOrderId: o.clientOrderId,
      side: o.side,
      price: o.price,
      remainingQty: remainingQty(o),
      status: o.status as WorkingOrderView["status"],
    }));
    this.views = { version: this.changes, views };
    return views;
  }

  /** Moves terminal orders closed before `time` to the archive; returns how many were moved. */
  prune(time: number): number {
    let dropped = 0;
    for (const [id, order] of this.orders) {
      if (isTerminal(order.status) && order.closedAt !== null && order.closedAt < time) {
        this.orders.delete(id);
        this.archive.set(id, order);
        this.changes++;
        dropped++;
      }
    }
    for (const id of this.archive.keys()) {
      if (this.archive.size <= ARCHIVE_LIMIT) break;
      this.archive.delete(id);
    }
    return dropped;
  }
}
