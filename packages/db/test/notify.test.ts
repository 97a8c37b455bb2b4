import { once } from "node:events";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BOT_CHANGES_CHANNEL, parseBotChangeNotice, type BotChangeNotice } from "../src/notify";
import { createTestDatabase, type TestDatabase } from "../src/testing";
import { testServerUrl } from "@bandkeeper/testkit";

let database: TestDatabase;
let listener: pg.Client;
const notices: BotChangeNotice[] = [];

beforeAll(async () => {
  database = await createTestDatabase(testServerUrl);
  listener = new pg.Client({ connectionString: database.url });
  await listener.connect();
  listener.on("notification", (message) => {
    const notice = message.channel === BOT_CHANGES_CHANNEL ? parseBotChangeNotice(message.payload) : undefined;
    if (notice) notices.push(notice);
  });
  await listener.query(`LISTEN ${BOT_CHANGES_CHANNEL}`);
});

afterAll(async () => {
  await listener.end();
  await database.drop();
});

async function nextNotice(): Promise<BotChangeNotice> {
  // An 'error' event makes the pending once() reject, failing the test instead of hanging it.
  const timeout = setTimeout(() => listener.emit("error", new Error("no notification within 5 s")), 5000);
  try {
    while (notices.length === 0) await once(listener, "notification");
    return notices.shift()!;
  } finally {
    clearTimeout(timeout);
  }
}

describe("bot change notifications", () => {
  it("announce a new bot, a desired state change and a new config version, but not other updates", async () => {
    const { prisma } = database;
    const team = await prisma.team.create({ data: { name: "Notify Desk", slug: "notify-desk" } });
    const account = await prisma.exchangeAccount.create({
      data: {
        teamId: team.id,
        name: "Simulator",
        venue: "SIMULATOR",
        environment: "SIMULATOR",
        apiKeyCiphertext: "v1.x.y.z",
        apiSecretCiphertext: "v1.x.y.z",
        keyFingerprint: "sha256:00000000",
      },
    });
    const bot = await prisma.bot.create({ data: { teamId: team.id, exchangeAccountId: account.id, symbol: "BTCUSDT" } });
    expect(await nextNotice()).toEqual({ botId: bot.id, exchangeAccountId: account.id, operation: "INSERT" });

    // The engine's own state reports must not wake the engines up: notifications arrive in commit order, so the
    // marker sent after the report is the next one only if the report sent none.
    await prisma.bot.update({ where: { id: bot.id }, data: { actualState: "QUOTING", stateReason: "quoting" } });
    const marker = { botId: "marker", exchangeAccountId: account.id, operation: "UPDATE" };
    await prisma.$executeRaw`SELECT pg_notify(${BOT_CHANGES_CHANNEL}, ${JSON.stringify(marker)})`;
    expect(await nextNotice()).toEqual(marker);

    await prisma.bot.update({ where: { id: bot.id }, data: { desiredState: "RUNNING" } });
    expect(await nextNotice()).toMatchObject({ botId: bot.id, operation: "UPDATE" });

    const version = await prisma.botConfigVersion.create({ data: { botId: bot.id, version: 1, config: {} } });
    await prisma.bot.update({ where: { id: bot.id }, data: { currentConfigVersionId: version.id } });
    expect(await nextNotice()).toMatchObject({ botId: bot.id, operation: "UPDATE" });
  });

  it("ignores payloads that are not bot change notices", () => {
    expect(parseBotChangeNotice(undefined)).toBeUndefined();
    expect(parseBotChangeNotice("not json")).toBeUndefined();
    expect(parseBotChangeNotice(JSON.stringify({ botId: "b", operation: "DELETE", exchangeAccountId: "a" }))).toBeUndefined();
  });
});
