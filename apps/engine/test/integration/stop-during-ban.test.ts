// A graceful stop while the exchange refuses every request from the engine's IP (a 418 ban, as after a burst of
// 429s, until its Retry-After): the cancels cannot go out yet, so the stop waits for the ban to end and then cancels,
// instead of giving up after its usual 5 s and leaving the orders resting with nobody watching them.
import { describe, expect, it } from "vitest";
import { inProcessEngine, openOrders, startWorld, twoSided, until } from "./harness";

const BAN_MS = 8_000;

describe("stopping while the exchange refuses every request", () => {
  it("waits out the ban, then cancels every order: nothing is left resting", async () => {
    const world = await startWorld("bk_engine_stopban", { runningSymbols: ["BTCUSDT"] });
    const engine = inProcessEngine(world, { reconcileMs: 300 });
    try {
      await engine.start();
      await until(() => twoSided(world, "BTCUSDT"), 30_000, "BTCUSDT two-sided");
      const banned = await fetch(`${world.sim.baseUrl}/admin/ban`, { method: "POST", body: JSON.stringify({ durationMs: BAN_MS }) });
      const { bannedUntil } = (await banned.json()) as { bannedUntil: number };
      // The next reconciliation meets the 418 and the engine backs off until its end.
      await new Promise((resolve) => setTimeout(resolve, 1_500));

      const stopStartedAt = Date.now();
      await engine.stop();
      const stoppedAt = Date.now();
      expect(openOrders(world, "BTCUSDT")).toEqual([]);
      // It did wait: the ban outlasted the usual 5 s a stop gives its cancels.
      expect(bannedUntil - stopStartedAt).toBeGreaterThan(5_000);
      expect(stoppedAt).toBeGreaterThanOrEqual(bannedUntil - 100);
    } finally {
      await engine.stop();
      await world.close();
    }
  }, 90_000);
});
