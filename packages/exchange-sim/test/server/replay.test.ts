import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { startExchangeSimulator } from "../../src/index";
import { rest } from "./helpers";

const dir = mkdtempSync(join(tmpdir(), "exchange-sim-replay-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// A capture in the recorder's format: `<local ns> <combined-stream JSON>`, with an inline REST snapshot.
function writeCapture(): string {
  const t0 = 1_723_161_253_000_000_000n;
  const at = (ms: number) => String(t0 + BigInt(ms) * 1_000_000n);
  const lines = [
    `${at(0)} {"lastUpdateId":100,"bids":[["61000.00","1.0"],["60999.00","2.0"]],"asks":[["61001.00","1.5"],["61002.00","3.0"]]}`,
    `${at(10)} {"stream":"btcusdt@depth@100ms","data":{"e":"depthUpdate","E":1723161253010,"s":"BTCUSDT","U":101,"u":102,"b":[["61000.50","0.7"]],"a":[]}}`,
    `${at(20)} {"stream":"btcusdt@trade","data":{"e":"trade","E":1723161253020,"s":"BTCUSDT","t":5000,"p":"61001.00","q":"0.2","T":1723161253020,"m":false,"M":true}}`,
  ];
  const path = join(dir, "btcusdt_capture.txt");
  writeFileSync(path, `${lines.join("\n")}\n`);
  return path;
}

describe("replay through startExchangeSimulator", () => {
  it("plays a stream capture: the book and trades follow the recording", async () => {
    const sim = await startExchangeSimulator({
      symbols: ["BTCUSDT"],
      market: { replay: [writeCapture()], speed: 100 },
    });
    try {
      let ticker: unknown;
      const deadline = Date.now() + 3000;
      do {
        ticker = (await rest(sim, "GET", "/api/v3/ticker/bookTicker", { symbol: "BTCUSDT" })).body;
      } while ((ticker as { bidPrice: string }).bidPrice !== "61000.50000000" && Date.now() < deadline);
      expect(ticker).toMatchObject({ bidPrice: "61000.50000000", bidQty: "0.70000000", askPrice: "61001.00000000" });
      const trades = await rest(sim, "GET", "/api/v3/trades", { symbol: "BTCUSDT" });
      expect(trades.body).toContainEqual(expect.objectContaining({ id: 5000, price: "61001.00000000" }));
    } finally {
      await sim.close();
    }
  });

  it("refuses a replay symbol that is not listed", async () => {
    await expect(
      startExchangeSimulator({ symbols: ["BTCUSDT"], market: { replay: ["x.gz"], symbol: "ETHUSDT" } }),
    ).rejects.toThrow(/not one of the simulator's symbols/);
  });
});
