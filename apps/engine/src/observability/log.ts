// Structured JSON logs, one object a line on stdout: what operators grep and log shippers parse. pino writes them;
// each line is {"level":"info","time":"<ISO>",...fields,"msg":"..."}, errors as {name, message}, and fields named
// like secrets are redacted wherever a caller put them (a config or an account object logged whole).
import pino, { type DestinationStream } from "pino";

export type LogLevel = "debug" | "info" | "warn" | "error";

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
  child(fields: Record<string, unknown>): Logger;
}

/** Field names whose values never reach a log line, at the top level or one or two objects down. */
export const SECRET_FIELDS = [
  "apiKey",
  "apiSecret",
  "secret",
  "password",
  "privateKey",
  "ed25519PrivateKey",
  "token",
  "authorization",
  "apiKeyCiphertext",
  "apiSecretCiphertext",
  "encryptionKey",
  "signature",
] as const;

export const REDACTED = "[redacted]";

const REDACT_PATHS = SECRET_FIELDS.flatMap((field) => [field, `*.${field}`, `*.*.${field}`]);

export function createLogger(options: { level?: LogLevel; write?: (line: string) => void; fields?: Record<string, unknown> } = {}): Logger {
  const write = options.write;
  // pino hands the stream whole lines ending in a newline; `write` callers take the line without it.
  const destination: DestinationStream = write ? { write: (line: string) => write(line.endsWith("\n") ? line.slice(0, -1) : line) } : pino.destination({ dest: 1, sync: true });
  const root = pino(
    {
      level: options.level ?? "info",
      base: options.fields ?? {},
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: {
        level: (label) => ({ level: label }),
        log: (object) => plainErrors(object) as Record<string, unknown>,
      },
      redact: { paths: REDACT_PATHS, censor: REDACTED },
    },
    destination,
  );
  return wrap(root);
}

function wrap(logger: pino.Logger): Logger {
  return {
    debug: (message, fields) => logger.debug(fields ?? {}, message),
    info: (message, fields) => logger.info(fields ?? {}, message),
    warn: (message, fields) => logger.warn(fields ?? {}, message),
    error: (message, fields) => logger.error(fields ?? {}, message),
    child: (fields) => wrap(logger.child(fields)),
  };
}

/** Errors anywhere in the fields as {name, message}: a stack trace in a log line is noise, its message is the news. */
function plainErrors(value: unknown, depth = 0): unknown {
  if (value instanceof Error) return { name: value.name, message: value.message };
  if (depth > 4 || value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((item) => plainErrors(item, depth + 1));
  if (Object.getPrototypeOf(value) !== Object.prototype) return value;
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, plainErrors(item, depth + 1)]));
}
