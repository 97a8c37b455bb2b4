// The demo desk a fresh install starts with: one team, one login per role, a simulator account and three bots.
import { createDefaultAlertRules } from "./alert-rules";
import type { PrismaClient } from "./client";
import { encryptSecret, fingerprint, parseEncryptionKey } from "./crypto";
import { BotDesiredState, ExchangeEnvironment, Role, Venue } from "./generated/prisma/enums";
import { hashPassword } from "./passwords";

export const DEMO_TEAM = { name: "Demo Desk", slug: "demo-desk" } as const;
export const DEMO_PASSWORD = "bandkeeper-demo";

export interface DemoLogin {
  email: string;
  password: string;
  name: string;
  role: Role;
}

export const DEMO_LOGINS: readonly DemoLogin[] = [
  { email: "owner@demo.bandkeeper.local", password: DEMO_PASSWORD, name: "Olivia Owner", role: Role.OWNER },
  { email: "admin@demo.bandkeeper.local", password: DEMO_PASSWORD, name: "Adam Admin", role: Role.ADMIN },
  { email: "trader@demo.bandkeeper.local", password: DEMO_PASSWORD, name: "Tara Trader", role: Role.TRADER },
  { email: "viewer@demo.bandkeeper.local", password: DEMO_PASSWORD, name: "Victor Viewer", role: Role.VIEWER },
];

export const DEMO_SYMBOLS = ["BTCUSDT", "ETHUSDT", "BNBUSDT"] as const;

/** The seed's defaults (docs/design.md section 7); the bot config schema in core fills in everything else. */
export const DEFAULT_BOT_CONFIG = {
  band: { minSpread: 0.002, maxSpread: 0.004 },
  targetFactor: 0.8,
  minNotional: "10000",
  notionalMargin: 0.05,
  ordersPerSide: 1,
  reference: { method: "HYBRID", trades: 100, twapWeight: 0.6 },
  requoteMode: "event",
} as const;

export interface SimulatorCredentials {
  apiKey: string;
  apiSecret: string;
  /** The simulator's REST base URL; omitted, the engine uses the simulator's default address. */
  baseUrl?: string | undefined;
}

/** The credentials `npm start` gives the bundled simulator. */
export const DEMO_SIMULATOR_CREDENTIALS: SimulatorCredentials = {
  apiKey: "bandkeeper-demo-key",
  apiSecret: "bandkeeper-demo-secret",
};

export interface SeedDemoOptions {
  /** The 32-byte key, or its base64/hex text as in BANDKEEPER_ENCRYPTION_KEY. */
  encryptionKey: Buffer | string;
  simulator?: SimulatorCredentials;
}

export interface SeedDemoResult {
  created: boolean;
  teamId: string;
}

export async function isSeeded(prisma: PrismaClient): Promise<boolean> {
  return (await prisma.team.count({ where: { slug: DEMO_TEAM.slug } })) > 0;
}

/** Creates the demo desk once; with the demo team already present it changes nothing. */
export async function seedDemo(prisma: PrismaClient, options: SeedDemoOptions): Promise<SeedDemoResult> {
  const existing = await prisma.team.findUnique({ where: { slug: DEMO_TEAM.slug }, select: { id: true } });
  if (existing) return { created: false, teamId: existing.id };

  const key = typeof options.encryptionKey === "string" ? parseEncryptionKey(options.encryptionKey) : options.encryptionKey;
  const simulator = options.simulator ?? DEMO_SIMULATOR_CREDENTIALS;
  // Hashing is slow on purpose: do it before the transaction opens, once for the password all demo logins share.
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const users = DEMO_LOGINS.map((login) => ({ ...login, passwordHash }));

  try {
    const teamId = await prisma.$transaction(async (tx) => {
      const team = await tx.team.create({ data: DEMO_TEAM });
      await createDefaultAlertRules(tx, team.id);
      const userIds = new Map<Role, string>();
      for (const user of users) {
        // A user may exist already (another team's seed, an earlier partial run); the membership is what's new.
        const row = await tx.user.upsert({
          where: { email: user.email },
          create: { email: user.email, name: user.name, passwordHash: user.passwordHash },
          update: {},
        });
        await tx.membership.create({ data: { userId: row.id, teamId: team.id, role: user.role } });
        userIds.set(user.role, row.id);
      }
      const ownerId = userIds.get(Role.OWNER);
      const account = await tx.exchangeAccount.create({
        data: {
          teamId: team.id,
          name: "Simulator",
          venue: Venue.SIMULATOR,
          environment: ExchangeEnvironment.SIMULATOR,
          apiKeyCiphertext: encryptSecret(simulator.apiKey, key),
          apiSecretCiphertext: encryptSecret(simulator.apiSecret, key),
          keyFingerprint: fingerprint(simulator.apiKey),
          baseUrl: simulator.baseUrl ?? null,
          createdById: ownerId,
        },
      });
      for (const symbol of DEMO_SYMBOLS) {
        const bot = await tx.bot.create({
          data: {
            teamId: team.id,
            exchangeAccountId: account.id,
            symbol,
            desiredState: BotDesiredState.RUNNING,
            stateReason: "waiting for an engine",
          },
        });
        const version = await tx.botConfigVersion.create({
          data: { botId: bot.id, version: 1, config: DEFAULT_BOT_CONFIG, createdById: ownerId },
        });
        await tx.bot.update({ where: { id: bot.id }, data: { currentConfigVersionId: version.id } });
      }
      await tx.auditLog.create({
        data: {
          teamId: team.id,
          actorId: ownerId,
          action: "team.seed_demo",
          entityType: "Team",
          entityId: team.id,
          payload: { symbols: [...DEMO_SYMBOLS], logins: DEMO_LOGINS.map((login) => login.email) },
        },
      });
      return team.id;
    });
    return { created: true, teamId };
  } catch (error) {
    // Another process seeded at the same moment: its team stands, ours rolled back.
    const winner = await prisma.team.findUnique({ where: { slug: DEMO_TEAM.slug }, select: { id: true } });
    if (winner) return { created: false, teamId: winner.id };
    throw error;
  }
}
