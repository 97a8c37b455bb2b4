import { describe, expect, it } from "vitest";
import { startExchangeSimulator } from "../../src/index";

describe("startExchangeSimulator", () => {
  it("listens on a free port, reports its URLs, and closes idempotently", async () => {
    const sim = await startExchangeSimulator({ symbols: ["BTCUSDT"] });
    expect(sim.baseUrl).toBe(`http://127.0.0.1:${sim.port}`);
    expect(sim.wsBaseUrl).toBe(`ws://127.0.0.1:${sim.port}`);
    expect((await fetch(`${sim.baseUrl}/api/v3/ping`)).status).toBe(200);
    await Promise.all([sim.close(), sim.close()]);
    await expect(fetch(`${sim.baseUrl}/api/v3/ping`)).rejects.toThrow();
  });

  it("fails cleanly on a taken port and on a bad account", async () => {
    const first = await startExchangeSimulator({ symbols: ["BTCUSDT"] });
    try {
      await expect(startExchangeSimulator({ port: first.port })).rejects.toThrow(/EADDRINUSE/);
      await expect(
        startExchangeSimulator({ accounts: [{ apiKey: "k", apiSecret: "s", ed25519PublicKey: "x", balances: {} }] }),
      ).rejects.toThrow(/exactly one of apiSecret and ed25519PublicKey/);
      await expect(startExchangeSimulator({ symbols: ["DOGEUSDT"] })).rejects.toThrow(/unknown symbol DOGEUSDT/);
    } finally {
      await first.close();
    }
  });
});
