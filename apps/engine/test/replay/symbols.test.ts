// Replaying any symbol: its filters from a saved exchangeInfo response or from flags, the built-in symbols as
// shortcuts, and a clear error naming the file, the symbol or the field when something is wrong.
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SymbolSpecError, resolveReplaySymbol } from "../../src/replay/symbols";
import { FIXTURES, runCli } from "./cli-runner";

const EXCHANGE_INFO = resolve(FIXTURES, "btcusdt_exchange_info_2022-12-11.json");
const SAMPLE = resolve(FIXTURES, "BTCUSDT-trades-2024-08-08-sample.csv");

const filter = (info: { filters: { filterType: string }[] }, type: string) => info.filters.find((f) => f.filterType === type) as Record<string, unknown> | undefined;

describe("resolveReplaySymbol", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "bk-symbols-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("reads a real exchangeInfo file's entry, filters as saved, later fields defaulted", async () => {
    const info = await resolveReplaySymbol({ symbol: "btcusdt", exchangeInfoFile: EXCHANGE_INFO });
    expect(info).toMatchObject({ symbol: "BTCUSDT", status: "TRADING", baseAsset: "BTC", quoteAsset: "USDT", otoAllowed: false });
    expect(filter(info, "PRICE_FILTER")).toMatchObject({ tickSize: "0.01000000" });
    expect(filter(info, "MIN_NOTIONAL")).toMatchObject({ minNotional: "10.00000000" });
    expect(filter(info, "NOTIONAL")).toBeUndefined();
  });

  it("takes a pair halted when its file was saved as trading: the recording shows it trading", async () => {
    const real = JSON.parse(await readFile(EXCHANGE_INFO, "utf8")) as { symbols: Record<string, unknown>[] };
    const halted = join(dir, "halted.json");
    await writeFile(halted, JSON.stringify({ symbols: [{ ...real.symbols[0], status: "BREAK" }] }));
    expect(await resolveReplaySymbol({ symbol: "BTCUSDT", exchangeInfoFile: halted })).toMatchObject({ status: "TRADING" });
  });

  it("lets flags override the file's filters", async () => {
    const info = await resolveReplaySymbol({ symbol: "BTCUSDT", exchangeInfoFile: EXCHANGE_INFO, flags: { tickSize: "0.1", minNotional: "5" } });
    expect(filter(info, "PRICE_FILTER")).toMatchObject({ tickSize: "0.1", minPrice: "0.1" });
    expect(filter(info, "MIN_NOTIONAL")).toMatchObject({ minNotional: "5" });
  });

  it("builds a symbol the simulator does not define from flags, the assets from its name", async () => {
    const info = await resolveReplaySymbol({ symbol: "pepefdusd", flags: { tickSize: "0.00000001", stepSize: "1", minNotional: "1" } });
    expect(info).toMatchObject({ symbol: "PEPEFDUSD", baseAsset: "PEPE", quoteAsset: "FDUSD", status: "TRADING" });
    expect(filter(info, "LOT_SIZE")).toMatchObject({ stepSize: "1", minQty: "1" });
    expect(filter(info, "NOTIONAL")).toMatchObject({ minNotional: "1" });
  });

  it("uses a built-in symbol as a shortcut", async () => {
    const info = await resolveReplaySymbol({ symbol: "ETHUSDT" });
    expect(filter(info, "LOT_SIZE")).toMatchObject({ stepSize: "0.00010000" });
  });

  it.each([
    ["a symbol neither built in nor given filters", { symbol: "SOLUSDT" }, /unknown symbol SOLUSDT: give its filters with --exchange-info FILE, or at least --tick-size and --step-size/],
    ["a flag that is not a number", { symbol: "BTCUSDT", flags: { tickSize: "one cent" } }, /--tick-size must be a decimal number such as 0.01, got "one cent"/],
    ["a zero tick size", { symbol: "XYZUSDT", flags: { tickSize: "0", stepSize: "1" } }, /symbol XYZUSDT from the command line: filter XYZUSDT PRICE_FILTER: tickSize must be greater than 0/],
    ["a symbol whose quote asset cannot be told", { symbol: "ABCXYZ", flags: { tickSize: "0.1", stepSize: "1" } }, /cannot tell the quote asset of ABCXYZ: give --quote-asset/],
  ])("refuses %s", async (_name, source, message) => {
    await expect(resolveReplaySymbol(source)).rejects.toThrow(message);
    await expect(resolveReplaySymbol(source)).rejects.toBeInstanceOf(SymbolSpecError);
  });

  it("names the file and the symbol it lacks", async () => {
    await expect(resolveReplaySymbol({ symbol: "ETHBTC", exchangeInfoFile: EXCHANGE_INFO })).rejects.toThrow(
      `exchangeInfo ${EXCHANGE_INFO}: no symbol ETHBTC (it holds BTCUSDT)`,
    );
  });

  it("names the file and the field that is wrong", async () => {
    const real = JSON.parse(await readFile(EXCHANGE_INFO, "utf8")) as { symbols: Record<string, unknown>[] };
    const noFilters = join(dir, "no-filters.json");
    await writeFile(noFilters, JSON.stringify({ symbols: [{ ...real.symbols[0], filters: "none" }] }));
    await expect(resolveReplaySymbol({ symbol: "BTCUSDT", exchangeInfoFile: noFilters })).rejects.toThrow(`exchangeInfo ${noFilters}: symbol BTCUSDT: field filters must be an array`);

    const badTick = join(dir, "bad-tick.json");
    const filters = (real.symbols[0]?.filters as Record<string, unknown>[]).map((f) => (f.filterType === "PRICE_FILTER" ? { ...f, tickSize: "cent" } : f));
    await writeFile(badTick, JSON.stringify({ symbols: [{ ...real.symbols[0], filters }] }));
    await expect(resolveReplaySymbol({ symbol: "BTCUSDT", exchangeInfoFile: badTick })).rejects.toThrow(`symbol BTCUSDT from ${badTick}: filter BTCUSDT PRICE_FILTER: tickSize`);

    const notJson = join(dir, "not-json.json");
    await writeFile(notJson, "{ symbols: ");
    await expect(resolveReplaySymbol({ symbol: "BTCUSDT", exchangeInfoFile: notJson })).rejects.toThrow(`the exchangeInfo file ${notJson} is not valid JSON`);

    const notInfo = join(dir, "depth.json");
    await writeFile(notInfo, JSON.stringify({ lastUpdateId: 1, bids: [], asks: [] }));
    await expect(resolveReplaySymbol({ symbol: "BTCUSDT", exchangeInfoFile: notInfo })).rejects.toThrow(`exchangeInfo ${notInfo}: no "symbols" array`);
  });
});

describe("npm run replay with --exchange-info on a pair the simulator does not define", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "bk-any-symbol-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("replays a BTCFDUSD trades CSV with the filters of its exchangeInfo entry", async () => {
    // The real BTCUSDT entry renamed to BTC/FDUSD (same price scale), and the BTCUSDT sample as its trades.
    const real = JSON.parse(await readFile(EXCHANGE_INFO, "utf8")) as { symbols: Record<string, unknown>[] };
    const info = join(dir, "exchange_info.json");
    await writeFile(info, JSON.stringify({ ...real, symbols: [{ ...real.symbols[0], symbol: "BTCFDUSD", quoteAsset: "FDUSD" }] }));
    const csv = join(dir, "BTCFDUSD-trades-2024-08-08.csv");
    await writeFile(csv, await readFile(SAMPLE));
    const run = await runCli(["--data", csv, "--symbol", "BTCFDUSD", "--exchange-info", info, "--json", "--quiet"]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toBe("");
    const report = JSON.parse(run.stdout) as { ordersPlaced: number; twoSided: number };
    expect(report.ordersPlaced).toBeGreaterThanOrEqual(2);
    expect(report.twoSided).toBeGreaterThan(0.9);
  }, 60_000);

  it("exits 2 with the missing symbol and the file named", async () => {
    const run = await runCli(["--data", SAMPLE, "--symbol", "DOGEUSDT", "--exchange-info", EXCHANGE_INFO, "--json"]);
    expect(run.code).toBe(2);
    expect(run.stderr.trim()).toBe(`exchangeInfo ${EXCHANGE_INFO}: no symbol DOGEUSDT (it holds BTCUSDT)`);
    expect(run.stdout).toBe("");
  }, 30_000);

  it("exits 2 naming an --exchange-info file that does not exist", async () => {
    const missing = join(dir, "nope.json");
    const run = await runCli(["--data", SAMPLE, "--symbol", "BTCUSDT", "--exchange-info", missing]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`no such --exchange-info file: ${missing}`);
  }, 30_000);
});
