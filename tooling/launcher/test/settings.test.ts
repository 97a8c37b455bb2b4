import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { SettingsError, loadSettings } from "../src/settings";

const dirs: string[] = [];
const freshDataDir = () => {
  const dir = mkdtempSync(join(tmpdir(), "bk-settings-"));
  dirs.push(dir);
  return dir;
};
afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

describe("loadSettings", () => {
  it("defaults everything on a fresh machine and generates the secrets once", () => {
    const dataDir = freshDataDir();
    const first = loadSettings({ BANDKEEPER_DATA_DIR: dataDir });
    expect(first).toMatchObject({ databaseUrl: undefined, webPort: 3000, webHost: "127.0.0.1", webUrl: "http://localhost:3000", simulatorPort: 8765, dataDir });
    expect(first).toMatchObject({ engineProcesses: "auto", engineBotsPerProcess: 40 });
    expect(loadSettings({ BANDKEEPER_DATA_DIR: dataDir, ENGINE_PROCESSES: "3" }).engineProcesses).toBe(3);
    expect(first.generatedSecrets.sort()).toEqual(["BANDKEEPER_ENCRYPTION_KEY", "NEXTAUTH_SECRET"]);
    expect(Buffer.from(first.encryptionKey, "base64")).toHaveLength(32);
    expect(statSync(join(dataDir, "local-secrets.json")).mode & 0o777).toBe(0o600);

    const second = loadSettings({ BANDKEEPER_DATA_DIR: dataDir });
    expect(second.generatedSecrets).toEqual([]);
    expect(second.encryptionKey).toBe(first.encryptionKey);
    expect(second.nextAuthSecret).toBe(first.nextAuthSecret);
  });

  it("listens on every interface and is opened at another address only when told", () => {
    const settings = loadSettings({ BANDKEEPER_DATA_DIR: freshDataDir(), HOST: "0.0.0.0", NEXTAUTH_URL: "https://desk.example.com/" });
    expect(settings).toMatchObject({ webHost: "0.0.0.0", webUrl: "https://desk.example.com" });
  });

  it("uses configured values and never writes them to disk", () => {
    const dataDir = freshDataDir();
    const key = "ab".repeat(32);
    const settings = loadSettings({
      BANDKEEPER_DATA_DIR: dataDir,
      DATABASE_URL: "postgresql://postgres@127.0.0.1:5432/bandkeeper",
      PORT: "4100",
      NEXTAUTH_SECRET: "s".repeat(40),
      BANDKEEPER_ENCRYPTION_KEY: key,
    });
    expect(settings).toMatchObject({ databaseUrl: "postgresql://postgres@127.0.0.1:5432/bandkeeper", webPort: 4100, encryptionKey: key });
    expect(settings.generatedSecrets).toEqual([]);
    expect(() => readFileSync(join(dataDir, "local-secrets.json"))).toThrow();
  });

  it.each([
    ["DATABASE_URL", "mysql://localhost/db", "DATABASE_URL: must be a postgresql:// connection URL"],
    ["PORT", "eighty", "PORT:"],
    ["PORT", "70000", "PORT: must be 1-65535"],
    ["HOST", "a host; rm -rf", "HOST: must be an address or host name"],
    ["NEXTAUTH_URL", "desk.example", "NEXTAUTH_URL: must be an absolute URL"],
    ["SIMULATOR_PORT", "-1", "SIMULATOR_PORT: must be 1-65535"],
    ["NEXTAUTH_SECRET", "short", "NEXTAUTH_SECRET: must be at least 32 characters"],
    ["BANDKEEPER_ENCRYPTION_KEY", "not-a-key", "BANDKEEPER_ENCRYPTION_KEY: must be 32 bytes, base64 or hex encoded"],
    ["ENGINE_STOP_GRACE_S", "0", "ENGINE_STOP_GRACE_S: must be at least 1"],
    ["ENGINE_PROCESSES", "two", "ENGINE_PROCESSES: must be a whole number or auto"],
    ["ENGINE_PROCESSES", "0", "ENGINE_PROCESSES: must be at least 1 (or auto)"],
    ["ENGINE_BOTS_PER_PROCESS", "0", "ENGINE_BOTS_PER_PROCESS: must be at least 1"],
  ])("rejects a malformed %s with a message naming it", (name, value, message) => {
    const attempt = () => loadSettings({ BANDKEEPER_DATA_DIR: freshDataDir(), [name]: value });
    expect(attempt).toThrow(SettingsError);
    expect(attempt).toThrow(message);
  });

  it("treats an empty variable as unset", () => {
    expect(loadSettings({ BANDKEEPER_DATA_DIR: freshDataDir(), DATABASE_URL: "", PORT: "" })).toMatchObject({
      databaseUrl: undefined,
      webPort: 3000,
      // Long enough for a stop that waits out the exchange's Retry-After (up to a minute) to cancel.
      engineStopGraceMs: 75_000,
    });
  });
});
