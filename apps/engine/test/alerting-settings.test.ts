// The engine's alert settings: SMTP and dashboard address from the environment, with defaults, and a bad value
// named in the error.
import { describe, expect, it } from "vitest";
import { alertingOptions } from "../src/alerts/alerting";
import { EngineEnvError, readEngineEnv } from "../src/env";
import { createLogger } from "../src/observability/log";

const base = { DATABASE_URL: "postgresql://postgres@127.0.0.1:5432/x", BANDKEEPER_ENCRYPTION_KEY: "k" };
const deps = { prisma: {} as never, encryptionKey: Buffer.alloc(32), logger: createLogger({ level: "error" }) };

describe("alerting settings", () => {
  it("without SMTP_HOST sends no email; links go to the local dashboard", () => {
    const options = alertingOptions(readEngineEnv(base), deps);
    expect(options.smtp).toBeNull();
    expect(options.webUrl).toBe("http://localhost:3000");
    expect(options.evaluateEveryMs).toBe(5_000);
    expect(options.delivery).toEqual({ sendTimeoutMs: 10_000, leaseMs: 30_000, retryBaseMs: 5_000 });
    expect(options.outbound).toEqual({ allowPrivateNetworks: false, requireHttps: false });
  });

  it("allows private webhook targets only when told, and wants https in production", () => {
    expect(alertingOptions(readEngineEnv({ ...base, BANDKEEPER_OUTBOUND_ALLOW_PRIVATE: "true" }), deps).outbound.allowPrivateNetworks).toBe(true);
    expect(alertingOptions(readEngineEnv({ ...base, NODE_ENV: "production" }), deps).outbound).toEqual({ allowPrivateNetworks: false, requireHttps: true });
  });

  it.each([
    [{ SMTP_HOST: "smtp.example.com" }, { host: "smtp.example.com", port: 587, secure: false }],
    [{ SMTP_HOST: "smtp.example.com", SMTP_SECURE: "true" }, { port: 465, secure: true }],
    [{ SMTP_HOST: "smtp.example.com", SMTP_PORT: "2525", SMTP_USER: "u", SMTP_PASSWORD: "p", ALERT_FROM: "Desk <a@b.c>" }, { port: 2525, user: "u", password: "p", from: "Desk <a@b.c>" }],
  ])("%o -> %o", (env, smtp) => {
    expect(alertingOptions(readEngineEnv({ ...base, ...env }), deps).smtp).toMatchObject(smtp);
  });

  it.each([
    [{ SMTP_SECURE: "yes" }, "SMTP_SECURE: must be true or false"],
    [{ SMTP_PORT: "70000" }, "SMTP_PORT: must be 1-65535"],
    [{ WEB_URL: "not a url" }, "WEB_URL: must be an http:// or https:// URL"],
    [{ ALERT_EVALUATE_MS: "50" }, "ALERT_EVALUATE_MS: must be at least 200"],
    [{ BANDKEEPER_OUTBOUND_ALLOW_PRIVATE: "yes" }, "BANDKEEPER_OUTBOUND_ALLOW_PRIVATE: must be true or false"],
  ])("refuses %o naming the variable", (env, message) => {
    expect(() => readEngineEnv({ ...base, ...env })).toThrow(EngineEnvError);
    expect(() => readEngineEnv({ ...base, ...env })).toThrow(message);
  });
});
