// Change requests' replays against a real Postgres: a PENDING replay becomes DONE with the base and the proposed
// config's KPI reports over the last minutes of a tape in the tapes folder, equal to replaying the same stretch
// in-process; one claim per replay however many engines poll; NO_DATA without tapes; FAILED when it runs too long.
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseBotConfig, type BotConfig } from "@bandkeeper/core";
import { generateEncryptionKey } from "@bandkeeper/db";
import type { Prisma } from "@bandkeeper/db/client";
import { seedDemo } from "@bandkeeper/db/seed";
import { createTestDatabase, type TestDatabase } from "@bandkeeper/db/testing";
import { testServerUrl } from "@bandkeeper/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ChangeReplays, type ChangeReplaySettings } from "../src/change-replays/change-replays";
import { lastStretch, loadLastStretch, recentTapeFiles } from "../src/change-replays/tape-window";
import { changeReplaySettings, readEngineEnv } from "../src/env";
import { createLogger } from "../src/observability/log";
import { loadRecording } from "../src/replay/recording";
import { simulateReplay } from "../src/replay/run-replay";
import { CAPTURE } from "./replay/cli-runner";

const WINDOW_MS = 3 * 60_000;
let db: TestDatabase;
let tapesDir: string;
let proposerId: string;

beforeAll(async () => {
  db = await createTestDatabase(testServerUrl, "bk_engine_change_replays");
  await seedDemo(db.prisma, { encryptionKey: generateEncryptionKey() });
  proposerId = (await db.prisma.user.findFirstOrThrow({ where: { email: "trader@demo.bandkeeper.local" } })).id;
  tapesDir = mkdtempSync(join(tmpdir(), "bk-change-replay-tapes-"));
  // The shared capture (about 6 minutes of BTCUSDT) as an engine run's tape of that day.
  mkdirSync(join(tapesDir, "BTCUSDT"));
  copyFileSync(CAPTURE[0] as string, join(tapesDir, "BTCUSDT", "BTCUSDT-2024-08-08-20240808T235414Z-1.capture.gz"));
});
afterAll(async () => {
  rmSync(tapesDir, { recursive: true, force: true });
  await db.drop();
});

function worker(claimant: string, settings: Partial<ChangeReplaySettings> = {}): ChangeReplays {
  return new ChangeReplays({
    prisma: db.prisma,
    claimant,
    settings: { tapesDir, windowMs: WINDOW_MS, timeoutMs: 120_000, pollMs: 50, ...settings },
    logger: createLogger({ write: () => undefined }),
  });
}

/** A pending config change request on the symbol's bot, with its PENDING replay, as the web writes them. */
async function proposeChange(symbol: string, change: (config: BotConfig) => BotConfig): Promise<{ requestId: string; base: BotConfig; proposed: BotConfig }> {
  const bot = await db.prisma.bot.findFirstOrThrow({ where: { symbol }, select: { id: true, teamId: true, currentConfigVersion: { select: { version: true, config: true } } } });
  const parsed = parseBotConfig(bot.currentConfigVersion?.config);
  if (!parsed.ok) throw new Error("the seed's config does not parse");
  const base = parsed.config;
  const proposed = change(base);
  const json = (value: unknown) => JSON.parse(JSON.stringify(value)) as Prisma.InputJsonValue;
  await db.prisma.changeRequest.updateMany({ where: { botId: bot.id, status: "PENDING" }, data: { status: "CANCELLED" } });
  const request = await db.prisma.changeRequest.create({
    data: {
      teamId: bot.teamId,
      botId: bot.id,
      kind: "UPDATE_CONFIG",
      proposerId,
      reason: "test",
      baseVersion: bot.currentConfigVersion?.version ?? null,
      proposedConfig: json(proposed),
      replay: { create: { baseConfig: json(base) } },
    },
  });
  return { requestId: request.id, base, proposed };
}

const replayOf = (changeRequestId: string) => db.prisma.changeRequestReplay.findUniqueOrThrow({ where: { changeRequestId } });

describe("change request replays", () => {
  it("replays the base and the proposed config over the tape's last minutes, as an in-process replay does, claimed once", async () => {
    const { requestId, base, proposed } = await proposeChange("BTCUSDT", (config) => ({ ...config, band: { ...config.band, maxSpread: config.band.maxSpread * 2 } }));
    expect((await replayOf(requestId)).status).toBe("PENDING");

    // Two engines poll at once: one runs it, the other finds nothing to do.
    const ran = await Promise.all([worker("engine-a").runNext(), worker("engine-b").runNext()]);
    expect(ran.filter(Boolean)).toHaveLength(1);

    const row = await replayOf(requestId);
    expect(row.message).toBeNull();
    expect(row.status).toBe("DONE");
    expect(row.progress).toBe(1);
    expect(["engine-a", "engine-b"]).toContain(row.claimedBy);

    const files = recentTapeFiles(tapesDir, "BTCUSDT", WINDOW_MS);
    expect(files).toHaveLength(1);
    const stretch = lastStretch(await loadRecording(files, "BTCUSDT", "0.01"), WINDOW_MS);
    expect(stretch.end - stretch.start).toBe(WINDOW_MS);
    const expectedBase = simulateReplay(stretch, { symbol: "BTCUSDT", config: base }).report;
    const expectedProposed = simulateReplay(stretch, { symbol: "BTCUSDT", config: proposed }).report;
    expect(row.baseReport).toEqual(JSON.parse(JSON.stringify(expectedBase)));
    expect(row.proposedReport).toEqual(JSON.parse(JSON.stringify(expectedProposed)));
    expect(expectedBase.ordersPlaced).toBeGreaterThan(0);
    expect(expectedBase.runningMs).toBeGreaterThan(WINDOW_MS - 5_000);
    expect(row.dataTo!.getTime() - row.dataFrom!.getTime()).toBe(WINDOW_MS);
    expect(row.proposedHtml).toContain("<!doctype html>");
    expect(row.wallMs).toBeGreaterThan(0);

    expect(await worker("engine-a").runNext()).toBe(false);
  }, 120_000);

  it("says there is no data when the pair has no tapes", async () => {
    const { requestId } = await proposeChange("ETHUSDT", (config) => ({ ...config, targetFactor: 0.7 }));
    expect(await worker("engine-a").runNext()).toBe(true);
    const row = await replayOf(requestId);
    expect(row.status).toBe("NO_DATA");
    expect(row.message).toBe("No market data is recorded for ETHUSDT yet: the engine records it while a bot quotes the pair.");
    expect(row.baseReport).toBeNull();
  });

  it("hands a replay under way back as PENDING when the engine stops", async () => {
    const { requestId } = await proposeChange("BTCUSDT", (config) => ({ ...config, targetFactor: 0.65 }));
    const stopping = worker("engine-a");
    const ran = stopping.runNext();
    await expect.poll(async () => (await replayOf(requestId)).status, { timeout: 10_000 }).toBe("RUNNING");
    await stopping.stop();
    expect(await ran).toBe(true);
    const row = await replayOf(requestId);
    expect(row).toMatchObject({ status: "PENDING", claimedBy: null, startedAt: null, baseReport: null });
    await db.prisma.changeRequest.update({ where: { id: requestId }, data: { status: "CANCELLED" } });
    await db.prisma.changeRequestReplay.update({ where: { changeRequestId: requestId }, data: { status: "FAILED" } });
  }, 30_000);

  it("stops a replay that runs past its time and says why", async () => {
    const { requestId } = await proposeChange("BTCUSDT", (config) => ({ ...config, targetFactor: 0.6 }));
    expect(await worker("engine-a", { timeoutMs: 300 }).runNext()).toBe(true);
    const row = await replayOf(requestId);
    expect(row.status).toBe("FAILED");
    expect(row.message).toBe("The replay took longer than 0.3 s and was stopped (ENGINE_CHANGE_REPLAY_TIMEOUT_S).");
    expect(row.proposedReport).toBeNull();
  }, 30_000);
});

describe("the tape window", () => {
  it("reads the files' last minutes in bounded memory as cutting the whole recording does", async () => {
    const files = recentTapeFiles(tapesDir, "BTCUSDT", WINDOW_MS);
    const whole = lastStretch(await loadRecording(files, "BTCUSDT", "0.01"), WINDOW_MS);
    // Trimmed every 1,000 records: the 6-minute file is folded many times before its last 3 minutes.
    const streamed = await loadLastStretch(files, "BTCUSDT", WINDOW_MS, 1_000);
    expect([streamed.start, streamed.end]).toEqual([whole.start, whole.end]);
    expect(streamed.botEvents).toEqual(whole.botEvents);
    expect(streamed.exchangeRecords.length).toBe(whole.exchangeRecords.length);
    const config = parseBotConfig({});
    if (!config.ok) throw new Error("the defaults do not parse");
    expect(simulateReplay(streamed, { symbol: "BTCUSDT", config: config.config }).report).toEqual(simulateReplay(whole, { symbol: "BTCUSDT", config: config.config }).report);
  }, 60_000);
});

describe("change replay settings", () => {
  const base = { DATABASE_URL: "postgresql://127.0.0.1/x", BANDKEEPER_ENCRYPTION_KEY: "k" };

  it("run only with the market tapes, 2 h of them, stopped after 600 s, polled every 3 s", () => {
    expect(changeReplaySettings(readEngineEnv(base), "/srv")).toBeUndefined();
    expect(changeReplaySettings(readEngineEnv({ ...base, ENGINE_MARKET_TAPES_DIR: "tapes" }), "/srv")).toEqual({
      tapesDir: "/srv/tapes",
      windowMs: 7_200_000,
      timeoutMs: 600_000,
      pollMs: 3_000,
    });
    expect(changeReplaySettings(readEngineEnv({ ...base, ENGINE_MARKET_TAPES_DIR: "/t", ENGINE_CHANGE_REPLAY_HOURS: "0.5", ENGINE_CHANGE_REPLAY_TIMEOUT_S: "120" }), "/srv")).toMatchObject({ windowMs: 1_800_000, timeoutMs: 120_000 });
  });

  it.each([
    [{ ENGINE_CHANGE_REPLAY_HOURS: "25" }, "ENGINE_CHANGE_REPLAY_HOURS: must be at most 24"],
    [{ ENGINE_CHANGE_REPLAY_HOURS: "0" }, "ENGINE_CHANGE_REPLAY_HOURS: must be more than 0"],
    [{ ENGINE_CHANGE_REPLAY_TIMEOUT_S: "1.5" }, "ENGINE_CHANGE_REPLAY_TIMEOUT_S: must be a whole number"],
  ])("names a bad value: %j", (value, message) => {
    expect(() => readEngineEnv({ ...base, ...value })).toThrow(message);
  });
});
