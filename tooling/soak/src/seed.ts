// The soak's desk: the demo seed (three bots on the demo simulator account) plus a second simulator account with
// two more bots, written with Prisma the way the seed writes its own.
import { encryptSecret, fingerprint, parseEncryptionKey } from "@bandkeeper/db";
import { createPrismaClient } from "@bandkeeper/db/client";
import { DEFAULT_BOT_CONFIG, DEMO_SIMULATOR_CREDENTIALS, seedDemo } from "@bandkeeper/db/seed";

export interface SoakAccount {
  id: string;
  apiKey: string;
  apiSecret: string;
}

export interface SoakBot {
  id: string;
  exchangeAccountId: string;
  apiKey: string;
  symbol: string;
}

export interface SoakDesk {
  accounts: SoakAccount[];
  bots: SoakBot[];
  /** Every bot's minimum notional per side (the seed's default config). */
  minNotional: string;
}

export const SECOND_ACCOUNT = { apiKey: "bandkeeper-soak-key-b", apiSecret: "bandkeeper-soak-secret-b" } as const;
const SECOND_ACCOUNT_SYMBOLS = ["BTCUSDT", "ETHUSDT"] as const;

export async function seedSoakDesk(databaseUrl: string, encryptionKey: string): Promise<SoakDesk> {
  const prisma = createPrismaClient(databaseUrl);
  try {
    const { teamId } = await seedDemo(prisma, { encryptionKey, simulator: DEMO_SIMULATOR_CREDENTIALS });
    const key = parseEncryptionKey(encryptionKey);
    const owner = await prisma.membership.findFirstOrThrow({ where: { teamId, role: "OWNER" } });
    await prisma.$transaction(async (tx) => {
      const account = await tx.exchangeAccount.create({
        data: {
          teamId,
          name: "Simulator B",
          venue: "SIMULATOR",
          environment: "SIMULATOR",
          apiKeyCiphertext: encryptSecret(SECOND_ACCOUNT.apiKey, key),
          apiSecretCiphertext: encryptSecret(SECOND_ACCOUNT.apiSecret, key),
          keyFingerprint: fingerprint(SECOND_ACCOUNT.apiKey),
          createdById: owner.userId,
        },
      });
      for (const symbol of SECOND_ACCOUNT_SYMBOLS) {
        const bot = await tx.bot.create({
          data: { teamId, exchangeAccountId: account.id, symbol, desiredState: "RUNNING", stateReason: "waiting for an engine" },
        });
        const version = await tx.botConfigVersion.create({
          data: { botId: bot.id, version: 1, config: DEFAULT_BOT_CONFIG, createdById: owner.userId },
        });
        await tx.bot.update({ where: { id: bot.id }, data: { currentConfigVersionId: version.id } });
      }
    });
    const rows = await prisma.exchangeAccount.findMany({ where: { teamId }, include: { bots: true }, orderBy: { createdAt: "asc" } });
    const credentials = (name: string) => (name === "Simulator B" ? SECOND_ACCOUNT : DEMO_SIMULATOR_CREDENTIALS);
    return {
      accounts: rows.map((row) => ({ id: row.id, ...pick(credentials(row.name)) })),
      bots: rows.flatMap((row) =>
        row.bots.map((bot) => ({ id: bot.id, exchangeAccountId: row.id, apiKey: credentials(row.name).apiKey, symbol: bot.symbol })),
      ),
      minNotional: DEFAULT_BOT_CONFIG.minNotional,
    };
  } finally {
    await prisma.$disconnect();
  }
}

function pick(credentials: { apiKey: string; apiSecret: string }): { apiKey: string; apiSecret: string } {
  return { apiKey: credentials.apiKey, apiSecret: credentials.apiSecret };
}
