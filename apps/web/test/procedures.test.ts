import { randomBytes } from "node:crypto";
import { DEMO_LOGINS, DEMO_TEAM, seedDemo } from "@bandkeeper/db/seed";
import { type TestDatabase, createTestDatabase } from "@bandkeeper/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { authenticate } from "../src/server/auth";
import { AppError } from "../src/server/errors";
import { createCaller } from "../src/server/routers";
import { type SessionUser, createCallerFactory, router, teamProcedure } from "../src/server/trpc";
import { createOtherTeam } from "./support/other-team";
import { rejection } from "./support/rejection";
import { testServerUrl } from "@bandkeeper/testkit";

const trader = DEMO_LOGINS.find((login) => login.role === "TRADER")!;

let database: TestDatabase;
let demoTeamId: string;
let otherTeamId: string;
let otherUser: SessionUser;

beforeAll(async () => {
  database = await createTestDatabase(testServerUrl, "bk_web_test");
  demoTeamId = (await seedDemo(database.prisma, { encryptionKey: randomBytes(32) })).teamId;
  const other = await createOtherTeam(database.prisma);
  otherTeamId = other.teamId;
  otherUser = other.owner;
});

afterAll(async () => {
  await database?.drop();
});

async function signedInTrader(): Promise<SessionUser> {
  const user = await authenticate(database.prisma, { email: trader.email, password: trader.password });
  if (!user) throw new Error("the demo trader could not sign in");
  return user;
}

describe("authenticate", () => {
  it("signs the demo trader into the demo desk", async () => {
    const user = await signedInTrader();
    expect(user).toMatchObject({ email: trader.email, name: trader.name, teamId: demoTeamId });
  });

  it("accepts the email in any case", async () => {
    const user = await authenticate(database.prisma, { email: trader.email.toUpperCase(), password: trader.password });
    expect(user?.email).toBe(trader.email);
  });

  it.each([
    ["a wrong password", { email: trader.email, password: "not-the-password" }],
    ["an unknown email", { email: "nobody@demo.bandkeeper.local", password: trader.password }],
    ["missing fields", { email: trader.email }],
  ])("rejects %s", async (_case, credentials) => {
    expect(await authenticate(database.prisma, credentials)).toBeNull();
  });
});

describe("bots.list", () => {
  it("returns the bots of the member's team with their account and states", async () => {
    const caller = createCaller({ db: database.prisma, user: await signedInTrader() });
    const bots = await caller.bots.list();
    expect(bots.map((bot) => bot.symbol)).toEqual(["BNBUSDT", "BTCUSDT", "ETHUSDT"]);
    for (const bot of bots) {
      expect(bot).toMatchObject({
        account: { name: "Simulator", venue: "SIMULATOR", environment: "SIMULATOR" },
        desiredState: "RUNNING",
        actualState: "STOPPED",
        stateReason: "waiting for an engine",
        configVersion: 1,
      });
    }
  });

  it("shows another team only its own bots", async () => {
    const bots = await createCaller({ db: database.prisma, user: otherUser }).bots.list();
    expect(bots.map((bot) => bot.symbol)).toEqual(["SOLUSDT"]);
  });

  it("refuses a session naming a team the user does not belong to", async () => {
    const caller = createCaller({ db: database.prisma, user: { ...otherUser, teamId: demoTeamId } });
    const error = await rejection(caller.bots.list());
    expect(error.code).toBe("FORBIDDEN");
    expect((error as AppError).appCode).toBe("NOT_TEAM_MEMBER");
  });

  it("refuses a user without a team", async () => {
    const caller = createCaller({ db: database.prisma, user: { ...otherUser, teamId: null } });
    expect((await rejection(caller.bots.list())).code).toBe("FORBIDDEN");
  });

  it("is UNAUTHORIZED without a session", async () => {
    const caller = createCaller({ db: database.prisma, user: null });
    const error = await rejection(caller.bots.list());
    expect(error.code).toBe("UNAUTHORIZED");
    expect(error).toBeInstanceOf(AppError);
  });
});

describe("teams.current", () => {
  it("names the member's team and role", async () => {
    const team = await createCaller({ db: database.prisma, user: await signedInTrader() }).teams.current();
    expect(team).toEqual({ id: demoTeamId, name: DEMO_TEAM.name, role: "TRADER" });
    const other = await createCaller({ db: database.prisma, user: otherUser }).teams.current();
    expect(other).toEqual({ id: otherTeamId, name: "Other Desk", role: "OWNER" });
  });
});

describe("teamProcedure", () => {
  // Probes of the two ends of the permission table, against real memberships.
  const probeCaller = createCallerFactory(
    router({
      manageMembers: teamProcedure("MANAGE_MEMBERS").query(({ ctx }) => ctx.team.role),
      operateBot: teamProcedure("OPERATE_BOT").query(({ ctx }) => ctx.team.role),
    }),
  );

  async function demoUser(role: "OWNER" | "TRADER" | "VIEWER"): Promise<SessionUser> {
    const login = DEMO_LOGINS.find((candidate) => candidate.role === role)!;
    const user = await authenticate(database.prisma, login);
    if (!user) throw new Error(`the demo ${role} could not sign in`);
    return user;
  }

  it("lets a role the table allows through, with its team role in the context", async () => {
    const owner = probeCaller({ db: database.prisma, user: await demoUser("OWNER") });
    expect(await owner.manageMembers()).toBe("OWNER");
    const trader = probeCaller({ db: database.prisma, user: await demoUser("TRADER") });
    expect(await trader.operateBot()).toBe("TRADER");
  });

  it.each([
    ["TRADER", "manageMembers"],
    ["VIEWER", "operateBot"],
  ] as const)("refuses %s the action of %s", async (role, procedure) => {
    const caller = probeCaller({ db: database.prisma, user: await demoUser(role) });
    const error = await rejection(caller[procedure]());
    expect(error.code).toBe("FORBIDDEN");
    expect((error as AppError).appCode).toBe("PERMISSION_DENIED");
  });
});
