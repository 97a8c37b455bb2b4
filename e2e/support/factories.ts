// Test data written straight into the stack's database through the db package, one unique set per test.
import { randomBytes } from "node:crypto";
import { test } from "@playwright/test";
import { type PrismaClient, createPrismaClient } from "@bandkeeper/db/client";
import { hashPassword } from "@bandkeeper/db/passwords";
import type { Login } from "./auth";
import { DATABASE_URL_VARIABLE } from "./constants";

export interface Factories {
  user(overrides?: { name?: string }): Promise<Login & { id: string }>;
  teamWithBots(ownerId: string, symbols: readonly string[]): Promise<{ id: string; name: string }>;
}

function unique(): string {
  return randomBytes(4).toString("hex");
}

function makeFactories(prisma: PrismaClient): Factories {
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
  };
}

export const testWithData = test.extend<{ factories: Factories }>({
  // Playwright reads a fixture's dependencies from a destructured first argument; this one needs none.
  factories: async ({ baseURL: _baseURL }, use) => {
    const url = process.env[DATABASE_URL_VARIABLE];
    if (!url) throw new Error(`${DATABASE_URL_VARIABLE} is not set: run the tests through playwright.config.ts`);
    const prisma = createPrismaClient(url);
    try {
      await use(makeFactories(prisma));
    } finally {
      await prisma.$disconnect();
    }
  },
});
