// POST /api/v3/order/cancelReplace: the new order's filters are checked before anything is cancelled (a failure
// is a plain error); then the cancel, then the new order, each answered in the -2022 / -2021 `data` matrix.
import { errors } from "../errors";
import type { ExchangeState } from "../exchange-state";
import { finishAction } from "../publisher/event-queue";
import { optionalParam, parseInteger, parseNewOrder, requireParam } from "../validation";
import {
  ExchangeError,
  type AccountId,
  type CancelOrderResponse,
  type CancelReplaceFailureData,
  type CancelReplaceParams,
  type CancelReplaceSuccess,
  type ErrorBody,
  type NewOrderResponse,
} from "../venue";
import { executeCancel } from "./cancel";
import { checkNewOrderFilters, executeNewOrder } from "./new-order";

export function cancelReplace(
  exchange: ExchangeState,
  accountId: AccountId,
  params: CancelReplaceParams,
  options: { newOrderRejection?: ExchangeError } = {},
): CancelReplaceSuccess {
  const account = exchange.accountOf(accountId);
  const modeRaw = requireParam(params.cancelReplaceMode, "cancelReplaceMode");
  if (modeRaw !== "STOP_ON_FAILURE" && modeRaw !== "ALLOW_FAILURE") throw errors.invalidParameter("cancelReplaceMode");
  const rateMode = optionalParam(params.orderRateLimitExceededMode);
  if (rateMode !== undefined && rateMode !== "DO_NOTHING" && rateMode !== "CANCEL_ONLY") {
    throw errors.invalidParameter("orderRateLimitExceededMode");
  }
  const spec = parseNewOrder(params, (s) => exchange.states.get(s)?.instrument);
  const state = exchange.symbolState(spec.instrument.symbol);
  if (!spec.instrument.info.cancelReplaceAllowed) throw errors.cancelReplaceNotAllowed();
  const cancelOrderId = optionalParam(params.cancelOrderId);
  const cancelOrigClientOrderId = optionalParam(params.cancelOrigClientOrderId);
  if (cancelOrderId === undefined && cancelOrigClientOrderId === undefined) {
    throw errors.eitherMandatory("cancelOrderId", "cancelOrigClientOrderId");
  }
  if (cancelOrderId !== undefined) parseInteger(cancelOrderId, "cancelOrderId");
  const cancelRestrictions = optionalParam(params.cancelRestrictions);
  if (cancelRestrictions !== undefined && cancelRestrictions !== "ONLY_NEW" && cancelRestrictions !== "ONLY_PARTIALLY_FILLED") {
    throw errors.invalidCancelRestrictions();
  }

  // Binance evaluates the new order's filters before it cancels anything: a failure is a plain error.
  checkNewOrderFilters(exchange, account, state, spec, exchange.clock.now());

  try {
    let cancelResponse: CancelOrderResponse | ErrorBody;
    let cancelOk = false;
    try {
      cancelResponse = executeCancel(exchange, account, state, {
        orderId: cancelOrderId,
        origClientOrderId: cancelOrigClientOrderId,
        newClientOrderId: optionalParam(params.cancelNewClientOrderId),
        cancelRestrictions,
        idNames: ["cancelOrderId", "cancelOrigClientOrderId"],
      });
      cancelOk = true;
    } catch (err) {
      if (!(err instanceof ExchangeError)) throw err;
      cancelResponse = { code: err.code, msg: err.msg };
    }
    if (!cancelOk && modeRaw === "STOP_ON_FAILURE") {
      throw cancelReplaceError(false, {
        cancelResult: "FAILURE",
        newOrderResult: "NOT_ATTEMPTED",
        cancelResponse,
        newOrderResponse: null,
      });
    }
    let newOrderResponse: NewOrderResponse | ErrorBody;
    let newOk = false;
    try {
      if (options.newOrderRejection) throw options.newOrderRejection;
      newOrderResponse = executeNewOrder(exchange, account, spec);
      newOk = true;
    } catch (err) {
      if (!(err instanceof ExchangeError)) throw err;
      newOrderResponse = { code: err.code, msg: err.msg };
    }
    if (cancelOk && newOk) {
      return {
        cancelResult: "SUCCESS",
        newOrderResult: "SUCCESS",
        cancelResponse: cancelResponse as CancelOrderResponse,
        newOrderResponse: newOrderResponse as NewOrderResponse,
      };
    }
    throw cancelReplaceError(cancelOk || newOk, {
      cancelResult: cancelOk ? "SUCCESS" : "FAILURE",
      newOrderResult: newOk ? "SUCCESS" : "FAILURE",
      cancelResponse,
      newOrderResponse,
    });
  } finally {
    finishAction(exchange);
  }
}

function cancelReplaceError(partial: boolean, data: CancelReplaceFailureData): ExchangeError {
  return partial
    ? new ExchangeError(-2021, errors.cancelReplacePartiallyFailed(), 409, data)
    : new ExchangeError(-2022, errors.cancelReplaceFailed(), 400, data);
}
