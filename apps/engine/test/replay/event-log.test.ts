import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defaultBotConfig } from "@bandkeeper/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EVENT_LOG_VERSION, EventLogWriter } from "../../src/audit/event-log";

describe("EventLogWriter", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "bk-event-log-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("writes the run line, the entries in order and the end line, one JSON object a line", async () => {
    const path = join(dir, "events.jsonl");
    const writer = EventLogWriter.open(path, { kind: "run", version: EVENT_LOG_VERSION, source: "live", botId: "bot-1", symbol: "BTCUSDT", config: defaultBotConfig });
    writer.write({ kind: "reference", time: 1.5, price: "60000.1" });
    writer.write({ kind: "place", time: 2, clientOrderId: "c1", side: "BUY", price: "59800", qty: "0.17", reason: "MISSING_LEVEL" });
    writer.write({ kind: "ack", time: 22, clientOrderId: "c1", exchangeOrderId: "7" });
    writer.end(30);
    expect(() => writer.write({ kind: "canceled", time: 31, clientOrderId: "c1" })).toThrow(/closed/);
    await writer.close();

    const lines = (await readFile(path, "utf8")).trimEnd().split("\n").map((line) => JSON.parse(line) as { kind: string });
    expect(lines.map((l) => l.kind)).toEqual(["run", "reference", "place", "ack", "end"]);
    expect(lines[0]).toMatchObject({ source: "live", botId: "bot-1", config: defaultBotConfig });
    expect(lines[4]).toEqual({ kind: "end", time: 30 });
  });

  it("reports a file it cannot write", async () => {
    const writer = EventLogWriter.open(join(dir, "missing-folder", "events.jsonl"), {
      kind: "run",
      version: EVENT_LOG_VERSION,
      source: "replay",
      botId: "replay",
      symbol: "BTCUSDT",
      config: defaultBotConfig,
    });
    await expect(writer.close()).rejects.toThrow(/ENOENT/);
  });
});
