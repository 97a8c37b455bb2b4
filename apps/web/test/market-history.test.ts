// bots.marketHistory through the real router against a real database: the recorder's samples of the last five
// minutes as they were written, longer ranges as the last sample of each step (the minute tier beyond a day),
// and another team's bot not found.
import { randomBytes } from "node:crypto";
import { DEMO_LOGINS, seedDemo } from "@bandkeeper/db/seed";
import { type TestDatabase, createTestDatabase } from "@bandkeeper/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCaller } from "../src/server/routers";
import type { SessionUser } from "../src/server/trpc";
import { createOtherTeam } from "./support/other-team";
import { rejection } from "./support/rejection";
import { testServerUrl } from "@bandkeeper/testkit";

const SECOND = 1_000;
const MINUTE = 60_000;
const DAY = 86_400_000;

let database: TestDatabase;
let viewer: SessionUser;
let botId: string;
let otherTeamBotId: string;
let now: number;

/** A price as Postgres gives it back: rounded, without trailing zeros. */
const exact = (value: number, decimals: number) => String(Number(value.toFixed(decimals)));

/** A sample as the engine's recorder writes it, around a reference that rises by 0.01 a second. */
function sample(time: number, index: number) {
  const reference = 60_000 + index / 100;
  return {
    time: new Date(time),
    referencePrice: exact(reference, 2),
    bidBandLow: exact(reference * 0.996, 4),
    bidBandHigh: exact(reference * 0.998, 4),
    askBandLow: exact(reference * 1.002, 4),
    askBandHigh: exact(reference * 1.004, 4),
    bestBid: exact(reference - 0.01, 2),
    bestAsk: exact(reference + 0.01, 2),
    ourBid: index % 10 === 9 ? null : "59820",
    ourAsk: "60180",
  };
}

beforeAll(async () => {
  database = await createTestDatabase(testServerUrl, "bk_web_market_history");
  const prisma = database.prisma;
  const teamId = (await seedDemo(prisma, { encryptionKey: randomBytes(32) })).teamId;
  const login = DEMO_LOGINS.find((entry) => entry.role === "VIEWER")!;
  const user = await prisma.user.findUniqueOrThrow({ where: { email: login.email } });
  viewer = { id: user.id, email: user.email, name: user.name, teamId };
  botId = (await prisma.bot.findFirstOrThrow({ where: { teamId, symbol: "BTCUSDT" } })).id;
  otherTeamBotId = (await createOtherTeam(prisma)).botId;

  // Ten minutes of seconds (the newest a second ago) and three days of minutes, as the recorder keeps them.
  now = Math.floor(Date.now() / SECOND) * SECOND;
  await prisma.botMarketSample.createMany({
    data: Array.from({ length: 600 }, (_, i) => ({ botId, ...sample(now - (600 - i) * SECOND, i) })),
  });
  await prisma.botMarketSample.create({ data: { botId: otherTeamBotId, ...sample(now - SECOND, 0) } });
  const firstMinute = Math.floor((now - 3 * DAY) / MINUTE) * MINUTE;
  await prisma.botMarketMinute.createMany({
    data: Array.from({ length: (3 * DAY) / MINUTE }, (_, i) => {
      const { time, ...prices } = sample(firstMinute + i * MINUTE, i);
      return { botId, minute: time, ...prices };
    }),
  });
});

afterAll(async () => database?.drop());

describe("bots.marketHistory", () => {
  it("answers the last five minutes with every recorded second, oldest first, prices exact", async () => {
    const history = await createCaller({ db: database.prisma, user: viewer }).bots.marketHistory({ botId, range: "5m" });
    expect(history.stepMs).toBe(SECOND);
    expect(history.to.getTime() - history.from.getTime()).toBe(5 * MINUTE);
    // Exactly the seeded seconds inside (from, to]: the window is the query's, however long the seeding took.
    const seeded = Array.from({ length: 600 }, (_, i) => now - (600 - i) * SECOND);
    const inside = seeded.filter((t) => t > history.from.getTime() && t <= history.to.getTime());
    expect(inside.length).toBeGreaterThan(200);
    expect(history.samples.map((s) => s.time.getTime())).toEqual(inside);
    const newest = history.samples.at(-1)!;
    expect(newest).toEqual({ ...sample(now - SECOND, 599), ourBid: null });
    expect(history.samples.at(-2)!.ourBid).toBe("59820");
  });

  it("answers an hour as the last sample of each 10 s step", async () => {
    const history = await createCaller({ db: database.prisma, user: viewer }).bots.marketHistory({ botId, range: "1h" });
    expect(history.stepMs).toBe(10 * SECOND);
    // Ten minutes of seconds make 60 or 61 steps, each point the newest sample of its step.
    expect(history.samples.length).toBeGreaterThanOrEqual(60);
    expect(history.samples.length).toBeLessThanOrEqual(61);
    for (const point of history.samples.slice(0, -1)) expect(point.time.getTime() % (10 * SECOND)).toBe(9 * SECOND);
    expect(history.samples.at(-1)!.time.getTime()).toBe(now - SECOND);
  });

  it("answers seven days from the minute tier in 15 min steps", async () => {
    const history = await createCaller({ db: database.prisma, user: viewer }).bots.marketHistory({ botId, range: "7d" });
    expect(history.stepMs).toBe(15 * MINUTE);
    // Three days of minutes: 288 steps of 15 min (one more where the first and last are partial).
    expect(history.samples.length).toBeGreaterThanOrEqual(288);
    expect(history.samples.length).toBeLessThanOrEqual(289);
    const times = history.samples.map((s) => s.time.getTime());
    for (const t of times.slice(0, -1)) expect(t % (15 * MINUTE)).toBe(14 * MINUTE);
    expect(history.samples.every((s) => s.referencePrice !== null && s.bidBandLow !== null)).toBe(true);
  });

  it("does not find another team's bot, and names a bad range", async () => {
    const call = createCaller({ db: database.prisma, user: viewer }).bots;
    expect(await rejection(call.marketHistory({ botId: otherTeamBotId, range: "5m" }))).toMatchObject({ code: "NOT_FOUND" });
    const refused = await rejection(call.marketHistory({ botId, range: "2h" as "1h" }));
    expect(refused).toMatchObject({ code: "BAD_REQUEST" });
    expect(JSON.stringify(refused)).toContain("range");
  });
});
