// The permission matrix's shared parts: docs/design.md section 5 as the test reads it, the team every case acts
// in, and the shape of a case. Each router's cases live beside this file in `<router>.cases.ts`.
import { randomBytes } from "node:crypto";
import { encryptSecret, fingerprint } from "@bandkeeper/db/crypto";
import { hashPassword } from "@bandkeeper/db/passwords";
import { type TestDatabase, createTestDatabase } from "@bandkeeper/db/testing";
import { type RunningSimulator, startExchangeSimulator } from "@bandkeeper/exchange-sim";
import type { Database } from "../../src/server/db";
import type { SessionUser } from "../../src/server/trpc";
import { testServerUrl } from "@bandkeeper/testkit";

export const ROLES = ["OWNER", "ADMIN", "TRADER", "VIEWER"] as const;
export type Role = (typeof ROLES)[number];

// docs/design.md section 5, copied by hand rather than imported from src/server/permissions.ts, so that a wrong
// mapping in the server is caught instead of mirrored. Rows beyond the table say where they come from.
export const DESIGN_ROWS = {
  // view bots, KPIs, orders, fills, alerts, audit log
  VIEW_TEAM: ["OWNER", "ADMIN", "TRADER", "VIEWER"],
  // start / pause a bot, emergency stop
  OPERATE_BOT: ["OWNER", "ADMIN", "TRADER"],
  // propose a parameter or risk-limit change, create a bot
  PROPOSE_CHANGE: ["OWNER", "ADMIN", "TRADER"],
  // approve or reject someone else's proposal
  REVIEW_CHANGE: ["OWNER", "ADMIN"],
  // manage exchange accounts, alert channels
  MANAGE_ACCOUNTS_AND_CHANNELS: ["OWNER", "ADMIN"],
  // manage members and roles
  MANAGE_MEMBERS: ["OWNER"],
  // issue 5: "an ADMIN or OWNER invites by email" (an ADMIN only to roles below OWNER)
  INVITE_MEMBERS: ["OWNER", "ADMIN"],
  // one's own things (profile, the list of one's teams): any signed-in user, whatever their role
  SIGNED_IN: ["OWNER", "ADMIN", "TRADER", "VIEWER"],
  // no session needed (accepting an invitation)
  PUBLIC: ["OWNER", "ADMIN", "TRADER", "VIEWER"],
} as const satisfies Record<string, readonly Role[]>;

export type DesignRow = keyof typeof DESIGN_ROWS;

export const MATRIX_PASSWORD = "matrix-password-1";

// The team every case acts in: one member per role, all with MATRIX_PASSWORD, and an exchange account whose
// keys a real in-process simulator accepts (the server finds it through SIMULATOR_URL).
export interface MatrixWorld {
  db: Database;
  teamId: string;
  members: Record<Role, SessionUser>;
  accountId: string;
  simulator: { url: string; apiKey: string; apiSecret: string };
  // Fresh rows for mutations: every role calls each procedure once, so each call needs its own target.
  createAccount(name?: string): Promise<{ id: string }>;
  createBot(symbol?: string): Promise<{ id: string }>;
  createMember(role: Role): Promise<SessionUser>;
  // A unique suffix for names and emails.
  unique(): string;
  close(): Promise<void>;
}

export interface PermissionCase {
  // The procedure's path as appRouter._def.procedures names it, e.g. "bots.list".
  procedure: string;
  // The row of the design table that governs it.
  row: DesignRow;
  // The input of one call by `role`; omitted for procedures without input.
  input?: (world: MatrixWorld, role: Role) => unknown;
  // What an allowed call must do. "succeeds" (the default) is the strong check; name an AppError code only for
  // a procedure that cannot succeed in this world, and say why in a comment.
  whenAllowed?: "succeeds" | { failsWith: string };
}

export const MATRIX_ENCRYPTION_KEY = randomBytes(32);

// The server settings the procedures read through env(): set before the first procedure runs. The simulator
// listens on 127.0.0.1, so users' addresses may be local unless a suite says otherwise.
function matrixServerEnv(databaseUrl: string, simulatorUrl: string): Record<string, string> {
  return {
    DATABASE_URL: databaseUrl,
    NEXTAUTH_SECRET: randomBytes(32).toString("hex"),
    BANDKEEPER_ENCRYPTION_KEY: MATRIX_ENCRYPTION_KEY.toString("base64"),
    SIMULATOR_URL: simulatorUrl,
    BANDKEEPER_OUTBOUND_ALLOW_PRIVATE: "true",
  };
}

async function startMatrixSimulator(): Promise<{ running: RunningSimulator; apiKey: string; apiSecret: string }> {
  const credentials = { apiKey: `matrix-${randomBytes(4).toString("hex")}`, apiSecret: randomBytes(24).toString("hex") };
  const running = await startExchangeSimulator({
    symbols: ["BTCUSDT"],
    accounts: [{ ...credentials, balances: { USDT: "100000", BTC: "2" } }],
  });
  return { running, ...credentials };
}

// A suite's own database, the server's environment pointing at it, and the matrix world; the suite closes the
// world and drops the database after its tests.
export async function openMatrixWorld(
  databaseName: string,
  serverEnv: Record<string, string> = {},
): Promise<{ database: TestDatabase; world: MatrixWorld }> {
  const database = await createTestDatabase(testServerUrl, databaseName);
  try {
    const simulator = await startMatrixSimulator();
    Object.assign(process.env, matrixServerEnv(database.url, simulator.running.baseUrl), serverEnv);
    return { database, world: await createMatrixWorld(database.prisma, simulator) };
  } catch (error) {
    await database.drop();
    throw error;
  }
}

async function createMatrixWorld(
  db: Database,
  simulator: Awaited<ReturnType<typeof startMatrixSimulator>>,
): Promise<MatrixWorld> {
  let counter = 0;
  const unique = () => `${Date.now().toString(36)}${(counter++).toString(36)}`;
  const passwordHash = await hashPassword(MATRIX_PASSWORD);
  const team = await db.team.create({ data: { name: "Matrix Desk", slug: `matrix-${unique()}` } });

  const createMember = async (role: Role): Promise<SessionUser> => {
    const name = `${role.toLowerCase()}-${unique()}`;
    const user = await db.user.create({
      data: { email: `${name}@matrix.example`, name: `Matrix ${name}`, passwordHash },
    });
    await db.membership.create({ data: { userId: user.id, teamId: team.id, role } });
    return { id: user.id, email: user.email, name: user.name, teamId: team.id };
  };

  const createAccount = async (name = `Account ${unique()}`) =>
    db.exchangeAccount.create({
      data: {
        teamId: team.id,
        name,
        venue: "SIMULATOR",
        environment: "SIMULATOR",
        apiKeyCiphertext: encryptSecret(simulator.apiKey, MATRIX_ENCRYPTION_KEY),
        apiSecretCiphertext: encryptSecret(simulator.apiSecret, MATRIX_ENCRYPTION_KEY),
        keyFingerprint: fingerprint(simulator.apiKey),
      },
      select: { id: true },
    });

  const account = await createAccount("Matrix simulator");
  const members = {} as Record<Role, SessionUser>;
  for (const role of ROLES) members[role] = await createMember(role);

  return {
    db,
    teamId: team.id,
    members,
    accountId: account.id,
    simulator: { url: simulator.running.baseUrl, apiKey: simulator.apiKey, apiSecret: simulator.apiSecret },
    createAccount,
    createBot: (symbol = `M${unique().toUpperCase()}USDT`) =>
      db.bot.create({ data: { teamId: team.id, exchangeAccountId: account.id, symbol }, select: { id: true } }),
    createMember,
    unique,
    close: () => simulator.running.close(),
  };
}
