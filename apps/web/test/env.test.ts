import { describe, expect, it } from "vitest";
import { InvalidEnvironmentError, parseEnv } from "../src/env";

const valid = {
  DATABASE_URL: "postgresql://postgres@127.0.0.1:5432/bandkeeper",
  NEXTAUTH_SECRET: "x".repeat(32),
};

function problemOf(source: Record<string, string | undefined>): string {
  try {
    parseEnv(source);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidEnvironmentError);
    return (error as Error).message;
  }
  throw new Error("parseEnv accepted an invalid environment");
}

describe("parseEnv", () => {
  it("accepts the required variables and leaves optional ones unset", () => {
    const env = parseEnv(valid);
    expect(env.DATABASE_URL).toBe(valid.DATABASE_URL);
    expect(env.NEXTAUTH_URL).toBeUndefined();
    expect(env.BANDKEEPER_ENCRYPTION_KEY).toBeUndefined();
    expect(env.SIMULATOR_URL).toBe("http://127.0.0.1:8765");
    expect(env.BANDKEEPER_OUTBOUND_ALLOW_PRIVATE).toBe("false");
  });

  it.each([
    ["DATABASE_URL", { ...valid, DATABASE_URL: undefined }, "DATABASE_URL is required"],
    ["DATABASE_URL", { ...valid, DATABASE_URL: "" }, "DATABASE_URL is required"],
    ["DATABASE_URL", { ...valid, DATABASE_URL: "mysql://localhost/x" }, "DATABASE_URL must be a postgresql:// URL"],
    ["NEXTAUTH_SECRET", { ...valid, NEXTAUTH_SECRET: undefined }, "NEXTAUTH_SECRET is required"],
    ["NEXTAUTH_SECRET", { ...valid, NEXTAUTH_SECRET: "short" }, "NEXTAUTH_SECRET must be at least 32 characters"],
    ["NEXTAUTH_URL", { ...valid, NEXTAUTH_URL: "not a url" }, "NEXTAUTH_URL must be an absolute URL"],
    ["SIMULATOR_URL", { ...valid, SIMULATOR_URL: "localhost:8765" }, "SIMULATOR_URL must be an http:// URL"],
    ["BANDKEEPER_OUTBOUND_ALLOW_PRIVATE", { ...valid, BANDKEEPER_OUTBOUND_ALLOW_PRIVATE: "yes" }, "BANDKEEPER_OUTBOUND_ALLOW_PRIVATE must be true or false"],
    [
      "BANDKEEPER_ENCRYPTION_KEY",
      { ...valid, BANDKEEPER_ENCRYPTION_KEY: "too-short" },
      "BANDKEEPER_ENCRYPTION_KEY must be 32 random bytes",
    ],
  ])("names %s and the reason when it is wrong", (_name, source, message) => {
    expect(problemOf(source)).toContain(message);
  });

  it("accepts an encryption key of 32 bytes", () => {
    const key = Buffer.alloc(32, 7).toString("base64");
    expect(parseEnv({ ...valid, BANDKEEPER_ENCRYPTION_KEY: key }).BANDKEEPER_ENCRYPTION_KEY).toBe(key);
  });

  it("reports every problem at once", () => {
    const message = problemOf({});
    expect(message).toContain("DATABASE_URL");
    expect(message).toContain("NEXTAUTH_SECRET");
  });
});
