import { Prisma } from "../src/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../src/testing";
import { testServerUrl } from "@bandkeeper/testkit";

let database: TestDatabase;
let accountId: string;
let botId: string;
let orderId: string;

beforeAll(async () => {
  database = await createTestDatabase(testServerUrl);
  const { prisma } = database;
  const team = await prisma.team.create({ data: { name: "Fill Desk", slug: "fill-desk" } });
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
  const order = await prisma.order.create({
    data: {
      botId: bot.id,
      exchangeAccountId: account.id,
      symbol: "BTCUSDT",
      clientOrderId: "bk-1",
      exchangeOrderId: "1001",
      side: "BUY",
      price: "64000.12",
      quantity: "0.16406",
      placedAt: new Date(),
    },
  });
  accountId = account.id;
  botId = bot.id;
  orderId = order.id;
});

afterAll(async () => {
  await database.drop();
});

function fill(symbol: string, tradeId: string) {
  return {
    orderId,
    botId,
    exchangeAccountId: accountId,
    symbol,
    tradeId,
    exchangeOrderId: "1001",
    side: "BUY" as const,
    price: "64000.12",
    quantity: "0.00001",
    quoteQty: "0.6400012",
    commission: "0.000000012345678901",
    commissionAsset: "BTC",
    isMaker: true,
    time: new Date(),
  };
}

describe("Fill", () => {
  it("keeps decimals exact", async () => {
    const row = await database.prisma.fill.create({ data: fill("BTCUSDT", "1") });
    expect(row.commission).toBeInstanceOf(Prisma.Decimal);
    expect(row.commission.toFixed()).toBe("0.000000012345678901");
    expect(row.quoteQty.toFixed()).toBe("0.6400012");
  });

  it("rejects a second fill with the same trade id on the same order", async () => {
    await database.prisma.fill.create({ data: fill("BTCUSDT", "2") });
    const duplicate = await database.prisma.fill.create({ data: fill("BTCUSDT", "2") }).catch((error: unknown) => error);
    expect(duplicate).toBeInstanceOf(Prisma.PrismaClientKnownRequestError);
    expect((duplicate as Prisma.PrismaClientKnownRequestError).code).toBe("P2002");
    expect(await database.prisma.fill.count({ where: { tradeId: "2" } })).toBe(1);
  });

  it("accepts a trade id already on record for another order (a venue that restarted its trade ids)", async () => {
    const second = await database.prisma.order.create({
      data: { botId, exchangeAccountId: accountId, symbol: "BTCUSDT", clientOrderId: "bk-restarted-1", exchangeOrderId: "1001", side: "BUY", price: "64000.12", quantity: "0.1", placedAt: new Date() },
    });
    await database.prisma.fill.create({ data: fill("BTCUSDT", "3") });
    await database.prisma.fill.create({ data: { ...fill("BTCUSDT", "3"), orderId: second.id } });
    expect(await database.prisma.fill.count({ where: { tradeId: "3" } })).toBe(2);
  });

  it("accepts an exchange order id already on record (ours is the client order id, not the venue's)", async () => {
    const order = await database.prisma.order.findUniqueOrThrow({ where: { id: orderId } });
    const { id: _id, createdAt: _c, updatedAt: _u, ...copy } = order;
    const reused = await database.prisma.order.create({ data: { ...copy, clientOrderId: "bk-after-venue-restart" } });
    expect(reused.exchangeOrderId).toBe(order.exchangeOrderId);
  });

  it("rejects a second order with the same client order id on the account", async () => {
    const order = await database.prisma.order.findUniqueOrThrow({ where: { id: orderId } });
    const { id: _id, createdAt: _c, updatedAt: _u, ...copy } = order;
    const duplicate = await database.prisma.order.create({ data: { ...copy, exchangeOrderId: "1002" } }).catch((e: unknown) => e);
    expect((duplicate as Prisma.PrismaClientKnownRequestError).code).toBe("P2002");
  });
});
