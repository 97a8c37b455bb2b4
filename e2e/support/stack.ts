// The system under test for browser tests: a fresh database with the demo seed and the built web app in
// production mode. Services start in order and stop in reverse; the simulator and engine join `start` as
// further steps when tests need them.
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createPrismaClient } from "@bandkeeper/db/client";
import { seedDemo } from "@bandkeeper/db/seed";
import { createTestDatabase } from "@bandkeeper/db/testing";
import { type NodeService, freePort, killOnExit, startNodeService, stopNodeService, waitForHttp } from "./process";

export const DEFAULT_DATABASE_SERVER_URL = "postgresql://postgres@127.0.0.1:5432/postgres";

const repoRoot = fileURLToPath(new URL("../..", import.meta.url));
const webDir = join(repoRoot, "apps/web");
export const logDir = fileURLToPath(new URL("../.logs", import.meta.url));

export interface StackSettings {
  databaseServerUrl: string;
  nextAuthSecret: string;
  encryptionKey: string;
}

export interface RunningStack {
  webUrl: string;
  databaseUrl: string;
  stop(): Promise<void>;
}

export function stackSettingsFrom(env: NodeJS.ProcessEnv): StackSettings {
  return {
    databaseServerUrl: env.DATABASE_URL || DEFAULT_DATABASE_SERVER_URL,
    nextAuthSecret: env.NEXTAUTH_SECRET || randomBytes(32).toString("hex"),
    encryptionKey: env.BANDKEEPER_ENCRYPTION_KEY || randomBytes(32).toString("base64"),
  };
}

function nextBin(): string {
  const require = createRequire(join(webDir, "package.json"));
  return join(dirname(require.resolve("next/package.json")), "dist/bin/next");
}

export async function startStack(settings: StackSettings): Promise<RunningStack> {
  if (!existsSync(join(webDir, ".next/BUILD_ID"))) {
    throw new Error("The web app is not built: run `npm run build -w @bandkeeper/web` first.");
  }
  // Stop actions of what has started so far, run in reverse if a later step fails.
  const stops: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const action of stops.reverse()) await action();
  };

  try {
    const database = await createTestDatabase(settings.databaseServerUrl);
    stops.push(() => database.drop());

    const prisma = createPrismaClient(database.url);
    try {
      await seedDemo(prisma, { encryptionKey: settings.encryptionKey });
    } finally {
      await prisma.$disconnect();
    }

    const webPort = await freePort();
    const webUrl = `http://127.0.0.1:${webPort}`;
    const web: NodeService = startNodeService({
      name: "web",
      script: nextBin(),
      args: ["start", "--port", String(webPort), "--hostname", "127.0.0.1"],
      cwd: webDir,
      logDir,
      env: {
        PATH: process.env.PATH,
        NODE_ENV: "production",
        NEXT_TELEMETRY_DISABLED: "1",
        DATABASE_URL: database.url,
        NEXTAUTH_SECRET: settings.nextAuthSecret,
        NEXTAUTH_URL: webUrl,
        BANDKEEPER_ENCRYPTION_KEY: settings.encryptionKey,
      },
    });
    killOnExit(web);
    stops.push(() => stopNodeService(web));
    await waitForHttp(`${webUrl}/signin`, web, 60_000);

    return { webUrl, databaseUrl: database.url, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
