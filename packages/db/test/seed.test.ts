import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decryptSecret } from "../src/crypto";
import { verifyPassword } from "../src/passwords";
import { DEFAULT_BOT_CONFIG, DEMO_LOGINS, DEMO_SYMBOLS, isSeeded, seedDemo } from "../src/seed";
import { createTestDatabase, type TestDatabase } from "../src/testing";
import { query } from "./support";
import { testServerUrl } from "@bandkeeper/testkit";

const encryptionKey = randomBytes(32);
const simulator = {
  apiKey: "sim-api-key-0123456789abcdefghijklmnopqrstuvwxyz",
  apiSecret: "sim-api-secret-9876543210zyxwvutsrqponmlkjihgfedcba",
  baseUrl: "http://127.0.0.1:18080",
};

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase(testServerUrl);
});

afterAll(async () => {
  await database.drop();
});

async function counts() {
  const { prisma } = database;
  return {
    teams: await prisma.team.count(),
    users: await prisma.user.count(),
    memberships: await prisma.membership.count(),
    accounts: await prisma.exchangeAccount.count(),
    bots: await prisma.bot.count(),
    versions: await prisma.botConfigVersion.count(),
  };
}

describe("seedDemo", () => {
  it("creates the demo desk once and changes nothing when run again", async () => {
    const { prisma } = database;
    expect(await isSeeded(prisma)).toBe(false);

    const first = await seedDemo(prisma, { encryptionKey, simulator });
    expect(first.created).toBe(true);
    expect(await isSeeded(prisma)).toBe(true);
    const afterFirst = await counts();
    expect(afterFirst).toEqual({ teams: 1, users: 4, memberships: 4, accounts: 1, bots: 3, versions: 3 });

    const second = await seedDemo(prisma, { encryptionKey, simulator });
    expect(second).toEqual({ created: false, teamId: first.teamId });
    expect(await counts()).toEqual(afterFirst);
  });

  it("gives each role a login whose demo password verifies", async () => {
    const { prisma } = database;
    expect(DEMO_LOGINS.map((login) => login.role).sort()).toEqual(["ADMIN", "OWNER", "TRADER", "VIEWER"]);
    for (const login of DEMO_LOGINS) {
      const user = await prisma.user.findUniqueOrThrow({
        where: { email: login.email },
        include: { memberships: { include: { team: true } } },
      });
      expect(await verifyPassword("bandkeeper-demo", user.passwordHash)).toBe(true);
      expect(user.memberships.map((m) => [m.team.name, m.role])).toEqual([["Demo Desk", login.role]]);
    }
    const viewer = await prisma.user.findUniqueOrThrow({ where: { email: "viewer@demo.bandkeeper.local" } });
    expect(await verifyPassword("wrong-password", viewer.passwordHash)).toBe(false);
  });

  it("creates running demo bots on the simulator account, each at config version 1", async () => {
    const bots = await database.prisma.bot.findMany({
      include: { currentConfigVersion: true, exchangeAccount: true },
      orderBy: { symbol: "asc" },
    });
    expect(bots.map((bot) => bot.symbol)).toEqual([...DEMO_SYMBOLS].sort());
    for (const bot of bots) {
      expect(bot.desiredState).toBe("RUNNING");
      expect(bot.exchangeAccount).toMatchObject({ name: "Simulator", venue: "SIMULATOR", environment: "SIMULATOR" });
      expect(bot.currentConfigVersion).toMatchObject({ version: 1, config: DEFAULT_BOT_CONFIG });
    }
  });

  it("stores the simulator key and secret encrypted: the raw row holds no plaintext", async () => {
    const [row] = await query<Record<string, unknown>>(database.url, `SELECT * FROM "ExchangeAccount"`);
    const raw = JSON.stringify(row);
    expect(raw).not.toContain(simulator.apiKey);
    expect(raw).not.toContain(simulator.apiSecret);
    expect(decryptSecret(String(row?.apiKeyCiphertext), encryptionKey)).toBe(simulator.apiKey);
    expect(decryptSecret(String(row?.apiSecretCiphertext), encryptionKey)).toBe(simulator.apiSecret);
    expect(row?.keyFingerprint).toBe("sim-…wxyz");
    expect(row?.baseUrl).toBe(simulator.baseUrl);
  });
});

describe("seedDemo racing itself", () => {
  it("leaves exactly one demo team when two processes seed at once", async () => {
    const other = await createTestDatabase(testServerUrl);
    try {
      const results = await Promise.all([
        seedDemo(other.prisma, { encryptionKey, simulator }),
        seedDemo(other.prisma, { encryptionKey: encryptionKey.toString("base64") }),
      ]);
      expect(results.filter((result) => result.created)).toHaveLength(1);
      expect(await other.prisma.team.count()).toBe(1);
      expect(await other.prisma.bot.count()).toBe(3);
    } finally {
      await other.drop();
    }
  });
});
