// A team with one bot, an account, and helpers to write its KPI minutes, rules and channels.
import type { PrismaClient } from "@bandkeeper/db/client";
import { encryptSecret, generateEncryptionKey, parseEncryptionKey } from "@bandkeeper/db/crypto";

export const ENCRYPTION_KEY = parseEncryptionKey(generateEncryptionKey());

export async function createTeamWithBot(prisma: PrismaClient, name = `Team ${Math.random().toString(36).slice(2, 8)}`) {
  const team = await prisma.team.create({ data: { name, slug: name.toLowerCase().replace(/\W+/g, "-") } });
  const account = await prisma.exchangeAccount.create({
    data: { teamId: team.id, name: "Sim", venue: "SIMULATOR", environment: "SIMULATOR", apiKeyCiphertext: "x", apiSecretCiphertext: "x", keyFingerprint: "x" },
  });
  const bot = await prisma.bot.create({ data: { teamId: team.id, exchangeAccountId: account.id, symbol: "BTCUSDT", desiredState: "RUNNING", actualState: "QUOTING" } });
  return { team, bot };
}

export async function webhookChannel(prisma: PrismaClient, teamId: string, url: string, options: { secret?: string; format?: string; name?: string } = {}) {
  return prisma.alertChannel.create({
    data: {
      teamId,
      name: options.name ?? `hook ${url}`,
      type: "WEBHOOK",
      config: { url, format: options.format ?? "json" },
      secretCiphertext: options.secret === undefined ? null : encryptSecret(options.secret, ENCRYPTION_KEY),
    },
  });
}

export async function emailChannel(prisma: PrismaClient, teamId: string, recipients: string[]) {
  return prisma.alertChannel.create({ data: { teamId, name: `mail ${recipients.join(",")}`, type: "EMAIL", config: { recipients } } });
}

/** One minute of KPIs: `twoSided` of the running minute two-sided, everything else perfect. */
export async function kpiMinute(prisma: PrismaClient, botId: string, minute: number, twoSided: number, runningMs = 60_000) {
  const twoSidedMs = Math.round(runningMs * twoSided);
  await prisma.kpiBucket.upsert({
    where: { botId_minute: { botId, minute: new Date(minute) } },
    create: { botId, minute: new Date(minute), runningMs, compliantMs: runningMs, twoSidedMs, depthMs: runningMs },
    update: { runningMs, twoSidedMs, compliantMs: runningMs, depthMs: runningMs },
  });
}
