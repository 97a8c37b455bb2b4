// Test data written straight into the stack's database through the db package, one unique set per test.
import { randomBytes } from "node:crypto";
import { type PrismaClient, createPrismaClient } from "@bandkeeper/db/client";
import { encryptSecret, fingerprint, parseEncryptionKey } from "@bandkeeper/db/crypto";
import { hashPassword } from "@bandkeeper/db/passwords";
import { DEFAULT_BOT_CONFIG } from "@bandkeeper/db/seed";
import type { Login } from "./auth";
import { DATABASE_URL_VARIABLE, ENCRYPTION_KEY_VARIABLE } from "./constants";
import { test } from "./csp";
import { type SimulatorAccount, createSimulatorAccount } from "./simulator";

export type TeamRole = "OWNER" | "ADMIN" | "TRADER" | "VIEWER";

export interface QuotingBot {
  id: string;
  symbol: string;
  exchangeAccountId: string;
  /** The simulator account the bot trades on, to check what it has on the book. */
  simulator: SimulatorAccount;
}

export interface Factories {
  user(overrides?: { name?: string }): Promise<Login & { id: string }>;
  teamWithBots(ownerId: string, symbols: readonly string[]): Promise<{ id: string; name: string }>;
  /** A user who belongs to the team with the role. */
  member(teamId: string, role: TeamRole): Promise<Login & { id: string }>;
  /**
   * A bot the stack's engine runs: a fresh simulator account of its own (registered on the simulator, its key
   * encrypted with the stack's key), the default config as version 1, desired state RUNNING. The engine claims
   * it within a lease round (about a second). With `sameAccountAs`, the bot trades on that bot's account instead.
   */
  quotingBot(teamId: string, symbol: string, options?: { sameAccountAs?: QuotingBot }): Promise<QuotingBot>;
}

function unique(): string {
  return randomBytes(4).toString("hex");
}

function makeFactories(prisma: PrismaClient, quotingBots: string[]): Factories {
  return {
    async user(overrides = {}) {
      const email = `user-${unique()}@e2e.bandkeeper.local`;
      const password = `pw-${unique()}`;
      const row = await prisma.user.create({
        data: { email, name: overrides.name ?? "Test User", passwordHash: await hashPassword(password) },
      });
      return { id: row.id, email, password };
    },
    async teamWithBots(ownerId, symbols) {
      const suffix = unique();
      const team = await prisma.team.create({ data: { name: `Desk ${suffix}`, slug: `desk-${suffix}` } });
      await prisma.membership.create({ data: { userId: ownerId, teamId: team.id, role: "OWNER" } });
      const account = await prisma.exchangeAccount.create({
        data: {
          teamId: team.id,
          name: `Account ${suffix}`,
          venue: "SIMULATOR",
          environment: "SIMULATOR",
          // Never decrypted by these tests.
          apiKeyCiphertext: "unused",
          apiSecretCiphertext: "unused",
          keyFingerprint: "unused",
        },
      });
      for (const symbol of symbols) {
        await prisma.bot.create({ data: { teamId: team.id, exchangeAccountId: account.id, symbol } });
      }
      return { id: team.id, name: team.name };
    },
    async member(teamId, role) {
      const user = await this.user({ name: `${role.toLowerCase()} ${unique()}` });
      await prisma.membership.create({ data: { userId: user.id, teamId, role } });
      return user;
    },
    async quotingBot(teamId, symbol, options = {}) {
      const keyText = process.env[ENCRYPTION_KEY_VARIABLE];
      if (!keyText) throw new Error(`${ENCRYPTION_KEY_VARIABLE} is not set: run the tests through playwright.config.ts`);
      const key = parseEncryptionKey(keyText);
      const simulator = options.sameAccountAs?.simulator ?? (await createSimulatorAccount());
      const accountId =
        options.sameAccountAs?.exchangeAccountId ??
        (
          await prisma.exchangeAccount.create({
            data: {
              teamId,
              name: `Simulator ${unique()}`,
              venue: "SIMULATOR",
              environment: "SIMULATOR",
              apiKeyCiphertext: encryptSecret(simulator.apiKey, key),
              apiSecretCiphertext: encryptSecret(simulator.apiSecret, key),
              keyFingerprint: fingerprint(simulator.apiKey),
            },
          })
        ).id;
      const bot = await prisma.bot.create({
        data: { teamId, exchangeAccountId: accountId, symbol, desiredState: "RUNNING", stateReason: "waiting for an engine" },
      });
      const version = await prisma.botConfigVersion.create({ data: { botId: bot.id, version: 1, config: DEFAULT_BOT_CONFIG } });
      await prisma.bot.update({ where: { id: bot.id }, data: { currentConfigVersionId: version.id } });
      quotingBots.push(bot.id);
      return { id: bot.id, symbol, exchangeAccountId: accountId, simulator };
    },
  };
}

export const testWithData = test.extend<{ factories: Factories }>({
  // Playwright reads a fixture's dependencies from a destructured first argument; this one needs none.
  factories: async ({ baseURL: _baseURL }, use) => {
    const url = process.env[DATABASE_URL_VARIABLE];
    if (!url) throw new Error(`${DATABASE_URL_VARIABLE} is not set: run the tests through playwright.config.ts`);
    const prisma = createPrismaClient(url);
    const quotingBots: string[] = [];
    try {
      await use(makeFactories(prisma, quotingBots));
    } finally {
      // A test's bots stop with it, so the engine does not keep quoting every earlier test's bots.
      await prisma.bot.updateMany({ where: { id: { in: quotingBots } }, data: { desiredState: "STOPPED" } });
      await prisma.$disconnect();
    }
  },
});
