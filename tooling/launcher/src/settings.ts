// The launcher's settings: the only place in the launcher that reads process.env.
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { DEFAULT_RESTART_POLICY, type RestartPolicyOptions } from "./restart-policy";

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");

const port = (fallback: number) =>
  z.coerce.number().int("must be a whole number").min(1, "must be 1-65535").max(65535, "must be 1-65535").default(fallback);

const unsetWhenEmpty = (value: unknown) => (value === "" ? undefined : value);

const schema = z.object({
  DATABASE_URL: z.preprocess(
    unsetWhenEmpty,
    z.string().regex(/^postgres(ql)?:\/\/\S+$/, "must be a postgresql:// connection URL").optional(),
  ),
  PORT: z.preprocess(unsetWhenEmpty, port(3000)),
  /** The address the dashboard listens on: loopback only unless told (0.0.0.0 for every interface). */
  HOST: z.preprocess(unsetWhenEmpty, z.string().regex(/^[\w.:-]+$/, "must be an address or host name, e.g. 127.0.0.1 or 0.0.0.0").default("127.0.0.1")),
  /** The address people open the dashboard at, when it is not http://localhost:PORT (a LAN name, an https proxy). */
  NEXTAUTH_URL: z.preprocess(unsetWhenEmpty, z.url({ error: "must be an absolute URL such as https://desk.example.com" }).optional()),
  SIMULATOR_PORT: z.preprocess(unsetWhenEmpty, port(8765)),
  ENGINE_METRICS_PORT: z.preprocess(unsetWhenEmpty, port(9464)),
  /** Engine processes to run: a number, or "auto" (one per ENGINE_BOTS_PER_PROCESS running bots, at most one per core). */
  ENGINE_PROCESSES: z.preprocess(
    unsetWhenEmpty,
    z
      .union([z.literal("auto"), z.coerce.number().int("must be a whole number or auto").min(1, "must be at least 1 (or auto)").max(64, "must be at most 64")], {
        error: "must be a whole number or auto",
      })
      .default("auto"),
  ),
  ENGINE_BOTS_PER_PROCESS: z.preprocess(unsetWhenEmpty, z.coerce.number().int("must be a whole number").min(1, "must be at least 1").default(40)),
  /** A crash of the engine restarts it; this many crashes within ENGINE_CRASH_WINDOW_S stop everything instead. */
  ENGINE_MAX_CRASHES: z.preprocess(unsetWhenEmpty, z.coerce.number().int("must be a whole number").min(1, "must be at least 1").default(5)),
  ENGINE_CRASH_WINDOW_S: z.preprocess(unsetWhenEmpty, z.coerce.number().int("must be a whole number").min(1, "must be at least 1").default(300)),
  /** How long a stopping engine may take before it is killed: a stop may wait out the exchange's Retry-After. */
  ENGINE_STOP_GRACE_S: z.preprocess(unsetWhenEmpty, z.coerce.number().int("must be a whole number").min(1, "must be at least 1").default(75)),
  BANDKEEPER_DATA_DIR: z.preprocess(unsetWhenEmpty, z.string().default(join(repoRoot, ".data"))),
  NEXTAUTH_SECRET: z.preprocess(unsetWhenEmpty, z.string().min(32, "must be at least 32 characters").optional()),
  BANDKEEPER_ENCRYPTION_KEY: z.preprocess(
    unsetWhenEmpty,
    z
      .string()
      .refine((value) => decodeKey(value)?.length === 32, "must be 32 bytes, base64 or hex encoded")
      .optional(),
  ),
});

export type Settings = {
  databaseUrl: string | undefined;
  webPort: number;
  /** Where the dashboard listens. */
  webHost: string;
  /** Where people open it: sessions, the mutation Origin check and alert links use it. */
  webUrl: string;
  simulatorPort: number;
  /** The first engine's metrics port; further engines take the ports after it. */
  engineMetricsPort: number;
  engineProcesses: number | "auto";
  engineBotsPerProcess: number;
  dataDir: string;
  /** How the launcher restarts a crashed engine (see RestartPolicy). */
  engineRestarts: RestartPolicyOptions;
  /** How long the engine gets to stop before it is killed (SIGKILL). */
  engineStopGraceMs: number;
  nextAuthSecret: string;
  encryptionKey: string;
  /** Names of the secrets generated for this machine because they were not set. */
  generatedSecrets: string[];
};

export class SettingsError extends Error {
  override name = "SettingsError";
}

/** Reads and validates the environment; a bad value throws a SettingsError naming the variable. */
export function loadSettings(env: NodeJS.ProcessEnv = process.env): Settings {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`);
    throw new SettingsError(`Invalid settings:\n${problems.join("\n")}`);
  }
  const values = parsed.data;
  const local = localSecrets(values.BANDKEEPER_DATA_DIR);
  const generatedSecrets: string[] = [];
  const nextAuthSecret = values.NEXTAUTH_SECRET ?? local.get("NEXTAUTH_SECRET", generatedSecrets);
  const encryptionKey = values.BANDKEEPER_ENCRYPTION_KEY ?? local.get("BANDKEEPER_ENCRYPTION_KEY", generatedSecrets);
  return {
    databaseUrl: values.DATABASE_URL,
    webPort: values.PORT,
    webHost: values.HOST,
    webUrl: (values.NEXTAUTH_URL ?? `http://localhost:${values.PORT}`).replace(/\/+$/, ""),
    simulatorPort: values.SIMULATOR_PORT,
    engineMetricsPort: values.ENGINE_METRICS_PORT,
    engineProcesses: values.ENGINE_PROCESSES,
    engineBotsPerProcess: values.ENGINE_BOTS_PER_PROCESS,
    dataDir: values.BANDKEEPER_DATA_DIR,
    engineRestarts: {
      ...DEFAULT_RESTART_POLICY,
      maxCrashes: values.ENGINE_MAX_CRASHES,
      windowMs: values.ENGINE_CRASH_WINDOW_S * 1000,
    },
    engineStopGraceMs: values.ENGINE_STOP_GRACE_S * 1000,
    nextAuthSecret,
    encryptionKey,
    generatedSecrets,
  };
}

function decodeKey(value: string): Buffer | undefined {
  if (/^[0-9a-fA-F]{64}$/.test(value)) return Buffer.from(value, "hex");
  if (/^[A-Za-z0-9+/]{43}=?$/.test(value)) return Buffer.from(value, "base64");
  return undefined;
}

/**
 * Secrets that a fresh machine has not configured are generated once and kept in the data folder,
 * so sessions and encrypted exchange keys survive a restart.
 */
function localSecrets(dataDir: string) {
  const file = join(dataDir, "local-secrets.json");
  const stored = existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as Record<string, string>) : {};
  return {
    get(name: string, generated: string[]): string {
      const existing = stored[name];
      if (existing) return existing;
      const value = randomBytes(32).toString("base64");
      stored[name] = value;
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, JSON.stringify(stored, null, 2), { mode: 0o600 });
      generated.push(name);
      return value;
    },
  };
}
