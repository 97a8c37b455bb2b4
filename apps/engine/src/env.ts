// The engine's settings: the only place in the engine that reads process.env. A bad value stops start-up with a
// message naming the variable.
import { resolve } from "node:path";
import type { OutboundPolicy } from "@bandkeeper/outbound";
import { z } from "zod";
import type { ChangeReplaySettings } from "./change-replays/change-replays";
import type { MarketRecording } from "./persistence/market-recorder";

const unsetWhenEmpty = (value: unknown) => (value === "" ? undefined : value);

const schema = z.object({
  DATABASE_URL: z.string({ error: "is required" }).regex(/^postgres(ql)?:\/\/\S+$/, "must be a postgresql:// connection URL"),
  BANDKEEPER_ENCRYPTION_KEY: z.string({ error: "is required (32 bytes, base64 or hex)" }).min(1, "is required (32 bytes, base64 or hex)"),
  /** Where SIMULATOR accounts without their own base URL connect. */
  SIMULATOR_URL: z.preprocess(unsetWhenEmpty, z.url({ error: "must be an http:// URL" }).default("http://127.0.0.1:8765")),
  /** Prometheus /metrics; 0 picks a free port, unset disables it. */
  ENGINE_METRICS_PORT: z.preprocess(unsetWhenEmpty, z.coerce.number().int().min(0).max(65535, "must be 0-65535").optional()),
  /** The address /metrics, /healthz and /readyz listen on: loopback unless Prometheus scrapes from elsewhere. */
  ENGINE_METRICS_HOST: z.preprocess(
    unsetWhenEmpty,
    z
      .string()
      .regex(/^[A-Za-z0-9.:-]+$/, "must be an IP address or host name (127.0.0.1, 0.0.0.0 for every interface, ::)")
      .default("127.0.0.1"),
  ),
  ENGINE_LOG_LEVEL: z.preprocess(unsetWhenEmpty, z.enum(["debug", "info", "warn", "error"]).default("info")),
  /** How long a bot's lease lasts without renewal; a dead engine's bots move after at most this long. */
  ENGINE_LEASE_TTL_MS: z.preprocess(unsetWhenEmpty, z.coerce.number().int().min(1_000, "must be at least 1000").default(6_000)),
  /** A bot whose account's keys are refused retries with a doubling delay, at most this long apart. */
  ENGINE_AUTH_RETRY_MAX_MS: z.preprocess(unsetWhenEmpty, z.coerce.number().int().min(1_000, "must be at least 1000").default(300_000)),
  /** A folder for each bot run's audit trail (JSON lines, as replay's --events-out); unset writes none. */
  ENGINE_AUDIT_DIR: z.preprocess(unsetWhenEmpty, z.string().optional()),
  /** The market recorder (the bot page's market chart): an unchanged market is recorded this often (a change within a second). */
  ENGINE_MARKET_SAMPLE_S: z.preprocess(unsetWhenEmpty, z.coerce.number().int("must be a whole number").min(1, "must be at least 1").default(1)),
  /** How long the recorder's one-second samples are kept... */
  ENGINE_MARKET_SECONDS_RETENTION_H: z.preprocess(unsetWhenEmpty, z.coerce.number().int("must be a whole number").min(1, "must be at least 1").default(24)),
  /** ...and the minute tier rolled up from them. */
  ENGINE_MARKET_MINUTES_RETENTION_D: z.preprocess(unsetWhenEmpty, z.coerce.number().int("must be a whole number").min(1, "must be at least 1").default(30)),
  /** How often the minute tier is rolled up and both tiers pruned. */
  ENGINE_MARKET_MAINTENANCE_S: z.preprocess(unsetWhenEmpty, z.coerce.number().int("must be a whole number").min(1, "must be at least 1").default(60)),
  /** A folder for the raw market streams, one gzip capture a symbol and UTC day (replay's format); unset records none. */
  ENGINE_MARKET_TAPES_DIR: z.preprocess(unsetWhenEmpty, z.string().optional()),
  /** Days of market tapes kept, today included. */
  ENGINE_MARKET_TAPES_DAYS: z.preprocess(unsetWhenEmpty, z.coerce.number().int("must be a whole number").min(1, "must be at least 1").default(7)),
  /** Change requests' replays (with the tapes): the newest this many hours of the pair's tapes... */
  ENGINE_CHANGE_REPLAY_HOURS: z.preprocess(unsetWhenEmpty, z.coerce.number().positive("must be more than 0").max(24, "must be at most 24").default(2)),
  /** ...each replay stopped (FAILED) after this long (both configs over 2 h of a busy pair take minutes: README)... */
  ENGINE_CHANGE_REPLAY_TIMEOUT_S: z.preprocess(unsetWhenEmpty, z.coerce.number().int("must be a whole number").min(1, "must be at least 1").default(600)),
  /** ...and PENDING ones looked for this often. */
  ENGINE_CHANGE_REPLAY_POLL_S: z.preprocess(unsetWhenEmpty, z.coerce.number().positive("must be more than 0").default(3)),
  /** Alerts by email: the SMTP server; unset, email channels fail with a message saying so. */
  SMTP_HOST: z.preprocess(unsetWhenEmpty, z.string().optional()),
  /** Default 465 with SMTP_SECURE, else 587. */
  SMTP_PORT: z.preprocess(unsetWhenEmpty, z.coerce.number().int().min(1).max(65535, "must be 1-65535").optional()),
  /** true: TLS from the first byte (port 465); false: STARTTLS when the server offers it. */
  SMTP_SECURE: z.preprocess(unsetWhenEmpty, z.enum(["true", "false"], { error: "must be true or false" }).default("false")),
  SMTP_USER: z.preprocess(unsetWhenEmpty, z.string().optional()),
  SMTP_PASSWORD: z.preprocess(unsetWhenEmpty, z.string().optional()),
  /** The From of alert emails. */
  ALERT_FROM: z.preprocess(unsetWhenEmpty, z.string().default("Bandkeeper <alerts@bandkeeper.localhost>")),
  /** The dashboard's address, for links in alerts. */
  WEB_URL: z.preprocess(unsetWhenEmpty, z.url({ error: "must be an http:// or https:// URL" }).default("http://localhost:3000")),
  /** How often alert rules are evaluated. */
  ALERT_EVALUATE_MS: z.preprocess(unsetWhenEmpty, z.coerce.number().int().min(200, "must be at least 200").default(5_000)),
  /** One delivery attempt's limit (connect, send, answer); a claim lasts three times this. */
  ALERT_SEND_TIMEOUT_MS: z.preprocess(unsetWhenEmpty, z.coerce.number().int().min(100, "must be at least 100").default(10_000)),
  /**
   * Start-up grace of alert rules: a started bot's KPIs and risk actions are judged from the first whole minute
   * this long after its first market data (0 turns the grace off), or, without market data, after
   * ALERT_STARTUP_MAX_WAIT_S all the same (a dead feed still alerts).
   */
  ALERT_STARTUP_GRACE_S: z.preprocess(unsetWhenEmpty, z.coerce.number().int().min(0, "must be 0 or more").default(60)),
  ALERT_STARTUP_MAX_WAIT_S: z.preprocess(unsetWhenEmpty, z.coerce.number().int().min(1, "must be at least 1").default(300)),
  /** The first retry's delay; each further retry doubles it (with jitter), up to 15 minutes. */
  ALERT_RETRY_BASE_MS: z.preprocess(unsetWhenEmpty, z.coerce.number().int().min(10, "must be at least 10").default(5_000)),
  /**
   * Webhooks (users' URLs) may go to loopback and private-network addresses, over http too: for local and test
   * use. Link-local and cloud metadata addresses are refused whatever this says.
   */
  BANDKEEPER_OUTBOUND_ALLOW_PRIVATE: z.preprocess(unsetWhenEmpty, z.enum(["true", "false"], { error: "must be true or false" }).default("false")),
  /** production: webhooks to public addresses must be https. */
  NODE_ENV: z.preprocess(unsetWhenEmpty, z.string().optional()),
});

export type EngineEnv = z.infer<typeof schema>;

/** Where webhooks may be sent, from the settings. */
export function outboundPolicy(env: Pick<EngineEnv, "BANDKEEPER_OUTBOUND_ALLOW_PRIVATE" | "NODE_ENV">): OutboundPolicy {
  return { allowPrivateNetworks: env.BANDKEEPER_OUTBOUND_ALLOW_PRIVATE === "true", requireHttps: env.NODE_ENV === "production" };
}

/** The market recorder's settings in milliseconds, as the supervisor takes them. */
export function marketRecording(
  env: Pick<EngineEnv, "ENGINE_MARKET_SAMPLE_S" | "ENGINE_MARKET_SECONDS_RETENTION_H" | "ENGINE_MARKET_MINUTES_RETENTION_D" | "ENGINE_MARKET_MAINTENANCE_S">,
): MarketRecording {
  return {
    sampleEveryMs: env.ENGINE_MARKET_SAMPLE_S * 1_000,
    secondsRetentionMs: env.ENGINE_MARKET_SECONDS_RETENTION_H * 3_600_000,
    minutesRetentionMs: env.ENGINE_MARKET_MINUTES_RETENTION_D * 86_400_000,
    maintenanceMs: env.ENGINE_MARKET_MAINTENANCE_S * 1_000,
  };
}

/** The change requests' replays, when the engine records market tapes (they replay those). */
export function changeReplaySettings(
  env: Pick<EngineEnv, "ENGINE_MARKET_TAPES_DIR" | "ENGINE_CHANGE_REPLAY_HOURS" | "ENGINE_CHANGE_REPLAY_TIMEOUT_S" | "ENGINE_CHANGE_REPLAY_POLL_S">,
  baseDir: string,
): ChangeReplaySettings | undefined {
  if (env.ENGINE_MARKET_TAPES_DIR === undefined) return undefined;
  return {
    tapesDir: resolve(baseDir, env.ENGINE_MARKET_TAPES_DIR),
    windowMs: Math.round(env.ENGINE_CHANGE_REPLAY_HOURS * 3_600_000),
    timeoutMs: env.ENGINE_CHANGE_REPLAY_TIMEOUT_S * 1_000,
    pollMs: Math.round(env.ENGINE_CHANGE_REPLAY_POLL_S * 1_000),
  };
}

/** Headless mode (`--config FILE`) runs without a database: only the settings that do not concern it. */
const headlessSchema = schema.pick({ SIMULATOR_URL: true, ENGINE_METRICS_PORT: true, ENGINE_METRICS_HOST: true, ENGINE_LOG_LEVEL: true, ENGINE_AUDIT_DIR: true });

export type HeadlessEnv = z.infer<typeof headlessSchema>;

export class EngineEnvError extends Error {
  override name = "EngineEnvError";
}

export function readEngineEnv(env: NodeJS.ProcessEnv = process.env): EngineEnv {
  return parse(schema, env);
}

export function readHeadlessEnv(env: NodeJS.ProcessEnv = process.env): HeadlessEnv {
  return parse(headlessSchema, env);
}

/**
 * Where the user typed the command: npm runs workspace scripts inside apps/engine and leaves the original
 * directory as INIT_CWD, so `npm run engine -- --config bots.yaml` from the repository root finds ./bots.yaml.
 */
export function invocationDirectory(env: NodeJS.ProcessEnv = process.env): string {
  return env.INIT_CWD !== undefined && env.INIT_CWD !== "" ? env.INIT_CWD : process.cwd();
}

/** `${NAME}` references in a headless config file resolve against the process environment. */
export function environmentVariable(name: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  return env[name];
}

function parse<T extends z.ZodType>(settings: T, env: NodeJS.ProcessEnv): z.infer<T> {
  const parsed = settings.safeParse(env);
  if (parsed.success) return parsed.data;
  const lines = parsed.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`);
  throw new EngineEnvError(`Invalid engine settings:\n${lines.join("\n")}`);
}
