// The engine's log lines as operators and log shippers see them: one JSON object a line with level, ISO time, the
// logger's fields, the call's fields and msg; errors as {name, message}; secrets redacted however deep a caller
// put them; the level threshold.
import { describe, expect, it } from "vitest";
import { createLogger, REDACTED } from "../src/observability/log";

function capture(level: "debug" | "info" | "warn" | "error" = "debug") {
  const lines: string[] = [];
  const logger = createLogger({ level, fields: { service: "engine" }, write: (line) => lines.push(line) });
  return { logger, lines, parsed: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

describe("engine logs", () => {
  it("one JSON object a line: level, ISO time, the logger's and the call's fields, msg", () => {
    const { logger, lines, parsed } = capture();
    logger.child({ bot: "b1" }).info("bot state", { from: "STARTING", to: "QUOTING" });
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toContain("\n");
    const [line] = parsed();
    const { time, ...rest } = line!;
    expect(time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(rest).toEqual({ level: "info", service: "engine", bot: "b1", from: "STARTING", to: "QUOTING", msg: "bot state" });
    expect(Object.keys(line!)).not.toContain("pid");
    expect(Object.keys(line!)).not.toContain("hostname");
  });

  it("errors as their name and message, at any depth", () => {
    const { logger, parsed } = capture();
    logger.warn("journal flush failed; will retry", { error: new TypeError("connection refused"), context: { cause: new Error("ECONNREFUSED") } });
    expect(parsed()[0]).toMatchObject({ level: "warn", error: { name: "TypeError", message: "connection refused" }, context: { cause: { name: "Error", message: "ECONNREFUSED" } } });
  });

  it("redacts secret fields at the top level and in nested objects", () => {
    const { logger, lines, parsed } = capture();
    logger.error("account refused", {
      apiSecret: "top-secret-1",
      account: { name: "sim", apiKey: "key-2", apiSecret: "secret-3", ed25519PrivateKey: "pem-6" },
      config: { smtp: { password: "pw-4" }, webhook: { token: "tok-5" } },
    });
    const text = lines.join("\n");
    for (const secret of ["top-secret-1", "key-2", "secret-3", "pw-4", "tok-5", "pem-6"]) expect(text).not.toContain(secret);
    expect(parsed()[0]).toMatchObject({ apiSecret: REDACTED, account: { name: "sim", apiKey: REDACTED, apiSecret: REDACTED, ed25519PrivateKey: REDACTED }, config: { smtp: { password: REDACTED } } });
  });

  it("drops lines below the level", () => {
    const { logger, parsed } = capture("warn");
    logger.debug("noise");
    logger.info("noise");
    logger.warn("kept");
    logger.error("kept too");
    expect(parsed().map((line) => [line.level, line.msg])).toEqual([
      ["warn", "kept"],
      ["error", "kept too"],
    ]);
  });
});
