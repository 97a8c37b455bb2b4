// The simulator's process during a soak: `startExchangeSimulator` on a volatile synthetic market, plus a read-only
// window onto the exchange core on a second port, so the soak reads the exchange's own record (every order it ever
// accepted, every trade, what rests now) without spending the IP's request weight the engines share on 127.0.0.1.
// Run as `node --import tsx simulator-host.ts '<HostConfig JSON>'`; prints one JSON line when ready.
import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { startExchangeSimulator, type AccountOptions, type Venue } from "@bandkeeper/exchange-sim";

export interface HostConfig {
  seed: number;
  symbols: string[];
  accounts: AccountOptions[];
}

export interface HostReady {
  baseUrl: string;
  controlUrl: string;
}

/** GET /soak/open: what rests on the book now, per account. */
export interface OpenSnapshot {
  time: number;
  open: { apiKey: string; symbol: string; side: "BUY" | "SELL"; price: string; origQty: string; executedQty: string }[];
}

export interface ExchangeOrder {
  apiKey: string;
  symbol: string;
  orderId: number;
  clientOrderId: string;
  side: "BUY" | "SELL";
  status: string;
  price: string;
  origQty: string;
  executedQty: string;
  time: number;
  updateTime: number;
}

export interface ExchangeTrade {
  apiKey: string;
  symbol: string;
  id: number;
  orderId: number;
  qty: string;
  price: string;
  time: number;
}

/** GET /soak/record: the exchange's record of the run. */
export interface ExchangeRecord {
  orders: ExchangeOrder[];
  trades: ExchangeTrade[];
}

// Volatile enough that quotes 0.2-0.4% from the reference get filled several times a minute (three times the
// default volatility, a 0.25% jump every 20 s per symbol), yet no jump leaps past the band's outer edge, and busy
// enough (10 trades a second) that a trade-based reference keeps up with the book.
const VOLATILE = { volatility: 1.5, jumpProbabilityPerSecond: 1 / 20, jumpSize: 0.0025, tradeRatePerSecond: 10 };

async function main(): Promise<void> {
  const config = JSON.parse(process.argv[2] ?? "") as HostConfig;
  const sim = await startExchangeSimulator({
    symbols: config.symbols,
    accounts: config.accounts,
    market: { seed: config.seed, synthetic: Object.fromEntries(config.symbols.map((symbol) => [symbol, VOLATILE])) },
  });
  const venue = sim.exchange;
  const accounts = config.accounts.map(({ apiKey }) => ({ apiKey, accountId: venue.accountByApiKey(apiKey)?.accountId ?? "" }));
  // Every order the core ever announced, per account: the core keeps them all, queryOrder gives the final state.
  const seen = new Map(accounts.map(({ accountId }) => [accountId, new Map<string, { symbol: string; orderId: number }>()]));
  for (const { accountId } of accounts) {
    venue.onUserEvent(accountId, (event) => {
      if (event.e === "executionReport") seen.get(accountId)?.set(`${event.s}:${event.i}`, { symbol: event.s, orderId: event.i });
    });
  }

  const control = createServer((req, res) => {
    try {
      if (req.url === "/soak/open") return json(res, openSnapshot(venue, accounts));
      if (req.url === "/soak/record") return json(res, record(venue, accounts, seen, config.symbols));
      json(res, { error: `no route ${req.url}` }, 404);
    } catch (error) {
      json(res, { error: String(error) }, 500);
    }
  });
  await new Promise<void>((resolve) => control.listen(0, "127.0.0.1", resolve));
  const ready: HostReady = { baseUrl: sim.baseUrl, controlUrl: `http://127.0.0.1:${(control.address() as AddressInfo).port}` };
  process.stdout.write(`${JSON.stringify(ready)}\n`);

  const stop = () => {
    control.close();
    void sim.close().then(() => process.exit(0));
  };
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
}

function openSnapshot(venue: Venue, accounts: { apiKey: string; accountId: string }[]): OpenSnapshot {
  const open = accounts.flatMap(({ apiKey, accountId }) =>
    venue.openOrders(accountId).map((order) => ({
      apiKey,
      symbol: order.symbol,
      side: order.side,
      price: order.price,
      origQty: order.origQty,
      executedQty: order.executedQty,
    })),
  );
  return { time: Date.now(), open };
}

function record(
  venue: Venue,
  accounts: { apiKey: string; accountId: string }[],
  seen: Map<string, Map<string, { symbol: string; orderId: number }>>,
  symbols: string[],
): ExchangeRecord {
  const orders: ExchangeOrder[] = [];
  const trades: ExchangeTrade[] = [];
  for (const { apiKey, accountId } of accounts) {
    for (const { symbol, orderId } of seen.get(accountId)?.values() ?? []) {
      const order = venue.queryOrder(accountId, { symbol, orderId: String(orderId) });
      const { clientOrderId, side, status, price, origQty, executedQty, time, updateTime } = order;
      orders.push({ apiKey, symbol, orderId, clientOrderId, side, status, price, origQty, executedQty, time, updateTime });
    }
    for (const symbol of symbols) {
      // myTrades pages by trade id, at most 1000 a page.
      for (let fromId = 0; ; ) {
        const page = venue.myTrades(accountId, { symbol, fromId: String(fromId), limit: "1000" });
        for (const trade of page) trades.push({ apiKey, symbol, id: trade.id, orderId: trade.orderId, qty: trade.qty, price: trade.price, time: trade.time });
        const last = page.at(-1);
        if (page.length < 1000 || last === undefined) break;
        fromId = last.id + 1;
      }
    }
  }
  return { orders, trades };
}

function json(res: ServerResponse, body: unknown, status = 200): void {
  res.writeHead(status, { "Content-Type": "application/json" }).end(JSON.stringify(body));
}

await main();
