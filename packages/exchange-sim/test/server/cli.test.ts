import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parseBalances, parseCommandLine } from "../../src/cli";

const packageDir = fileURLToPath(new URL("../..", import.meta.url));

describe("command line", () => {
  it("reads the documented invocation", () => {
    const options = parseCommandLine(
      "--port 8765 --symbols BTCUSDT,ETHUSDT --api-key KEY --api-secret SECRET --balances USDT=1000000,BTC=10,ETH=100".split(" "),
    );
    expect(options).toMatchObject({
      port: 8765,
      host: "127.0.0.1",
      symbols: ["BTCUSDT", "ETHUSDT"],
      accounts: [{ apiKey: "KEY", apiSecret: "SECRET", balances: { USDT: "1000000", BTC: "10", ETH: "100" } }],
      market: {},
    });
  });

  it("takes several replay files after one --replay, and a speed, relative to the directory it was started from", () => {
    expect(parseCommandLine(["--replay", "a.gz", "/data/b.gz", "--speed", "10"], "/home/me").market).toEqual({
      replay: ["/home/me/a.gz", "/data/b.gz"],
      speed: 10,
    });
  });

  it("takes a state directory relative to the directory it was started from", () => {
    expect(parseCommandLine(["--state-dir", ".data/simulator"], "/home/me").stateDir).toBe("/home/me/.data/simulator");
    expect(parseCommandLine([]).stateDir).toBeUndefined();
  });

  it.each([
    [["--state-dir", ""], /--state-dir needs a directory/],
    [["--port", "99999"], /--port/],
    [["--api-key", "K"], /exactly one of --api-secret/],
    [["--api-secret", "S"], /--api-key is required/],
    [["--speed", "2"], /only applies with --replay/],
    [["--replay", "a.gz", "--speed", "0"], /--speed must be a positive number/],
    [["--symbols", "BTC-USDT"], /--symbols/],
    [["--faults", "{"], /--faults must be JSON/],
    [["--bogus"], /Unknown option/],
    [["stray"], /unexpected argument stray/],
  ])("rejects %j", (args, message) => {
    expect(() => parseCommandLine(args)).toThrow(message);
  });

  it("rejects malformed balances", () => {
    expect(parseBalances("USDT=1.5,btc=2")).toEqual({ USDT: "1.5", BTC: "2" });
    expect(() => parseBalances("USDT=abc")).toThrow(/bad entry "USDT=abc"/);
  });

  it("runs, prints its URLs, serves, and stops cleanly on SIGTERM", async () => {
    const child = spawn(
      process.execPath,
      ["--import", "tsx", "src/cli.ts", "--port", "0", "--symbols", "BTCUSDT", "--api-key", "KEY", "--api-secret", "SECRET"],
      { cwd: packageDir, stdio: ["ignore", "pipe", "pipe"] },
    );
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    try {
      const deadline = Date.now() + 20_000;
      while (!/admin\s+http/.test(output) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
      const rest = /REST\s+(http:\/\/\S+)\/api\/v3/.exec(output)?.[1];
      expect(rest, output).toBeDefined();
      expect(output).toMatch(/WS API\s+ws:\/\/127\.0\.0\.1:\d+\/ws-api\/v3/);
      const ping = await fetch(`${rest}/api/v3/ping`);
      expect(ping.status).toBe(200);
    } finally {
      child.kill("SIGTERM");
    }
    expect(await exited).toBe(0);
  }, 30_000);
});
