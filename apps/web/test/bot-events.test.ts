// bots.events through the real router against a real database: a bot's timeline filtered by kind, the kinds it
// holds, team scoping and the field named on bad input.
import { randomBytes } from "node:crypto";
import { DEMO_LOGINS, seedDemo } from "@bandkeeper/db/seed";
import { type TestDatabase, createTestDatabase } from "@bandkeeper/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCaller } from "../src/server/routers";
import type { SessionUser } from "../src/server/trpc";
import { createOtherTeam } from "./support/other-team";
import { rejection } from "./support/rejection";
import { testServerUrl } from "@bandkeeper/testkit";


let database: TestDatabase;
let viewer: SessionUser;
let botId: string;
let otherTeamBotId: string;

const viewerCaller = () => createCaller({ db: database.prisma, user: viewer });

beforeAll(async () => {
  database = await createTestDatabase(testServerUrl, "bk_web_bot_events");
  const prisma = database.prisma;
  const teamId = (await seedDemo(prisma, { encryptionKey: randomBytes(32) })).teamId;
  const login = DEMO_LOGINS.find((entry) => entry.role === "VIEWER")!;
  const user = await prisma.user.findUniqueOrThrow({ where: { email: login.email } });
  viewer = { id: user.id, email: user.email, name: user.name, teamId };
  botId = (await prisma.bot.findFirstOrThrow({ where: { teamId, symbol: "BTCUSDT" } })).id;
  const start = Date.now() - 60_000;
  const at = (seconds: number) => new Date(start + seconds * 1_000);
  await prisma.botEvent.createMany({
    data: [
      { botId, time: at(1), type: "state", fromState: "STOPPED", toState: "STARTING", reason: "claimed" },
      { botId, time: at(2), type: "state", fromState: "STARTING", toState: "QUOTING", reason: "two-sided" },
      { botId, time: at(3), type: "order_reopened", reason: "a fill after the write-off" },
      { botId, time: at(4), type: "state", fromState: "QUOTING", toState: "DEGRADED", reason: "one side" },
      { botId, time: at(5), type: "operator_emergency_stop", reason: "Emergency stop by someone" },
    ],
  });
  otherTeamBotId = (await createOtherTeam(prisma)).botId;
  await prisma.botEvent.create({ data: { botId: otherTeamBotId, type: "journal_record_failed" } });
});

afterAll(async () => {
  await database?.drop();
});

describe("bots.events", () => {
  it("without a kind: every event, newest first, and the kinds the bot holds, most frequent first", async () => {
    const result = await viewerCaller().bots.events({ botId });
    expect(result.events.map((event) => event.type)).toEqual(["operator_emergency_stop", "state", "order_reopened", "state", "state"]);
    expect(result.kinds).toEqual([
      { type: "state", count: 3 },
      { type: "operator_emergency_stop", count: 1 },
      { type: "order_reopened", count: 1 },
    ]);
  });

  it("with a kind: only events of that kind; the kinds stay the bot's whole list", async () => {
    const result = await viewerCaller().bots.events({ botId, type: "state" });
    expect(result.events.map((event) => event.toState)).toEqual(["DEGRADED", "QUOTING", "STARTING"]);
    expect(result.kinds).toHaveLength(3);
    const none = await viewerCaller().bots.events({ botId, type: "config_rejected" });
    expect(none.events).toEqual([]);
  });

  it("keeps to the limit asked for", async () => {
    const result = await viewerCaller().bots.events({ botId, limit: 2 });
    expect(result.events.map((event) => event.type)).toEqual(["operator_emergency_stop", "state"]);
  });

  it("another team's bot is not found", async () => {
    expect((await rejection(viewerCaller().bots.events({ botId: otherTeamBotId }))).code).toBe("NOT_FOUND");
  });

  it("refuses a kind that is no event kind, naming the field", async () => {
    const error = await rejection(viewerCaller().bots.events({ botId, type: "State; DROP" }));
    expect(error.code).toBe("BAD_REQUEST");
    expect(error.message).toContain("type");
  });
});
