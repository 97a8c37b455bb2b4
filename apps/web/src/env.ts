import { parseEncryptionKey } from "@bandkeeper/db/crypto";
import { z } from "zod";

// The only module in the web app that reads process.env.
const envSchema = z.object({
  DATABASE_URL: z
    .string({ error: "is required" })
    .min(1, "is required")
    .refine((value) => /^postgres(ql)?:\/\//.test(value), "must be a postgresql:// URL"),
  NEXTAUTH_SECRET: z.string({ error: "is required" }).min(32, "must be at least 32 characters"),
  NEXTAUTH_URL: z.url({ error: "must be an absolute URL" }).optional(),
  BANDKEEPER_ENCRYPTION_KEY: z
    .string()
    .refine(isEncryptionKey, "must be 32 random bytes written as base64 (44 characters) or hex (64 characters)")
    .optional(),
  // Where the bundled exchange simulator answers, for simulator accounts that name no address of their own;
  // the same default as the engine's and the launcher's (SIMULATOR_PORT 8765).
  SIMULATOR_URL: z.url({ protocol: /^https?$/, error: "must be an http:// URL" }).default("http://127.0.0.1:8765"),
  // Users' URLs (webhooks, an account's own address) may point at loopback and private-network addresses, over
  // http too: local and test use only. Link-local and cloud metadata addresses stay refused.
  BANDKEEPER_OUTBOUND_ALLOW_PRIVATE: z.enum(["true", "false"], { error: "must be true or false" }).default("false"),
  // Invitations by email: the SMTP server (the same settings as the engine's alert email). Unset, an invitation's
  // link is shown to the owner who creates it (or fetched by an owner when an admin invited).
  SMTP_HOST: z.string().optional(),
  SMTP_PORT: z.coerce.number({ error: "must be a port number" }).int().min(1).max(65535, "must be 1-65535").optional(),
  SMTP_SECURE: z.enum(["true", "false"], { error: "must be true or false" }).default("false"),
  SMTP_USER: z.string().optional(),
  SMTP_PASSWORD: z.string().optional(),
  INVITATION_FROM: z.string().default("Bandkeeper <invitations@bandkeeper.localhost>"),
  // production: users' URLs to public addresses must be https (next start sets it).
  NODE_ENV: z.string().optional(),
});

function isEncryptionKey(value: string): boolean {
  try {
    parseEncryptionKey(value);
    return true;
  } catch {
    return false;
  }
}

export type WebEnv = z.infer<typeof envSchema>;

export class InvalidEnvironmentError extends Error {
  override readonly name = "InvalidEnvironmentError";
  constructor(readonly problems: readonly string[]) {
    super(`Invalid environment: ${problems.join("; ")}`);
  }
}

export function parseEnv(source: Record<string, string | undefined>): WebEnv {
  // An empty string in a shell export means "unset", not "set to nothing".
  const present = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== ""));
  const result = envSchema.safeParse(present);
  if (!result.success) {
    throw new InvalidEnvironmentError(
      result.error.issues.map((issue) => `${issue.path.join(".")} ${issue.message}`),
    );
  }
  return result.data;
}

let cached: WebEnv | undefined;

// Parsed on first use rather than at import, so `next build` can load modules without secrets.
export function env(): WebEnv {
  cached ??= parseEnv(process.env);
  return cached;
}
