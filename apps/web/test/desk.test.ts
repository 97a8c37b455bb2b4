// The desk's helpers through the real router: the venue's symbols for a new bot (from a real simulator's
// exchangeInfo) and the navigation's open-alert count, scoped to the team.
import type { TestDatabase } from "@bandkeeper/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCaller } from "../src/server/routers";
import type { SessionUser } from "../src/server/trpc";
import { type MatrixWorld, openMatrixWorld } from "./permissions/harness";
import { createOtherTeam } from "./support/other-team";
import { rejection } from "./support/rejection";

let database: TestDatabase;
let world: MatrixWorld;
const as = (user: SessionUser) => createCaller({ db: database.prisma, user });

beforeAll(async () => {
  ({ database, world } = await openMatrixWorld("bk_web_desk"));
});

afterAll(async () => {
  await world?.close();
  await database?.drop();
});

describe("bots.venueSymbols", () => {
  it("lists the venue's trading symbols with their filters, sorted", async () => {
    const symbols = await as(world.members.TRADER).bots.venueSymbols({ exchangeAccountId: world.accountId });
    expect(symbols.map((entry) => entry.symbol)).toEqual([...symbols.map((entry) => entry.symbol)].sort());
    const btc = symbols.find((entry) => entry.symbol === "BTCUSDT");
    expect(btc).toMatchObject({ baseAsset: "BTC", quoteAsset: "USDT" });
    expect(Number(btc?.tickSize)).toBeGreaterThan(0);
    expect(Number(btc?.stepSize)).toBeGreaterThan(0);
    expect(Number(btc?.minNotional)).toBeGreaterThan(0);
  });

  it("another team's account is not found", async () => {
    const other = await createOtherTeam(database.prisma);
    const error = await rejection(as(world.members.TRADER).bots.venueSymbols({ exchangeAccountId: other.accountId }));
    expect(error.code).toBe("NOT_FOUND");
  });
});

describe("alerts.openCount", () => {
  it("counts the team's open alerts and those nobody acknowledged", async () => {
    const rule = await database.prisma.alertRule.create({ data: { teamId: world.teamId, name: "Faulted", kind: "BOT_FAULTED" } });
    const open = (n: number, acknowledged: boolean) =>
      database.prisma.alertEvent.create({
        data: { teamId: world.teamId, ruleId: rule.id, dedupeKey: `k${n}`, openDedupeKey: `k${n}`, message: `alert ${n}`, acknowledgedAt: acknowledged ? new Date() : null },
      });
    await open(1, false);
    await open(2, true);
    await database.prisma.alertEvent.create({ data: { teamId: world.teamId, ruleId: rule.id, dedupeKey: "k3", state: "RESOLVED", message: "over" } });
    await expect(as(world.members.VIEWER).alerts.openCount()).resolves.toEqual({ open: 2, unacknowledged: 1 });
  });
});
