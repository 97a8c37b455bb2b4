import { generateKeyPairSync } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { HeadlessConfigError, loadHeadlessConfig, parseHeadlessConfig } from "../../src/headless/config";

const environment = (values: Record<string, string>) => (name: string) => values[name];
const ED25519_PEM = generateKeyPairSync("ed25519").privateKey.export({ format: "pem", type: "pkcs8" }).toString();
const RSA_PEM = generateKeyPairSync("rsa", { modulusLength: 1024 }).privateKey.export({ format: "pem", type: "pkcs8" }).toString();

const VALID = `
accounts:
  - name: sim
    venue: SIMULATOR
    baseUrl: http://127.0.0.1:8765
    apiKey: \${SIM_KEY}
    apiSecret: \${SIM_SECRET}
bots:
  - account: sim
    symbol: BTCUSDT
    config:
      band: { minSpread: 0.002, maxSpread: 0.004 }
`;

function issuesOf(text: string, file = "bots.yaml", env: Record<string, string> = { SIM_KEY: "k", SIM_SECRET: "s" }): string[] {
  try {
    parseHeadlessConfig(text, file, environment(env));
  } catch (error) {
    if (error instanceof HeadlessConfigError) {
      expect(error.message.startsWith(`Invalid headless config ${file}:`)).toBe(true);
      return error.issues.map((issue) => `${issue.path}: ${issue.message}`);
    }
    throw error;
  }
  throw new Error("expected the config to be rejected");
}

describe("headless config", () => {
  it("reads accounts and bots, with secrets from the environment and core's defaults filled in", () => {
    const config = parseHeadlessConfig(VALID, "bots.yaml", environment({ SIM_KEY: "key-1", SIM_SECRET: "secret-1" }));
    expect(config.accounts).toEqual([
      { name: "sim", venue: "SIMULATOR", environment: "SIMULATOR", baseUrl: "http://127.0.0.1:8765", apiKey: "key-1", signing: { apiSecret: "secret-1" } },
    ]);
    const [bot] = config.bots;
    expect(bot?.symbol).toBe("BTCUSDT");
    expect(bot?.config.band).toEqual({ minSpread: 0.002, maxSpread: 0.004 });
    expect(bot?.config.reference.method).toBe("HYBRID");
    // Stable across runs: a restarted headless engine recognises its earlier orders.
    expect(parseHeadlessConfig(VALID, "other.yaml", environment({ SIM_KEY: "a", SIM_SECRET: "b" })).bots[0]?.id).toBe(bot?.id);
  });

  it("reads the same file as JSON", () => {
    const json = JSON.stringify({ accounts: [{ name: "sim", venue: "SIMULATOR", apiKey: "k", apiSecret: "s" }], bots: [{ account: "sim", symbol: "ETHUSDT" }] });
    expect(parseHeadlessConfig(json, "bots.json", environment({})).bots[0]?.config.band).toEqual({ minSpread: 0.002, maxSpread: 0.004 });
  });

  it("takes an Ed25519 private key (PEM, from the environment) instead of an HMAC secret", () => {
    const text = VALID.replace("apiSecret: ${SIM_SECRET}", "ed25519PrivateKey: ${SIM_ED25519_KEY}");
    const config = parseHeadlessConfig(text, "bots.yaml", environment({ SIM_KEY: "key-1", SIM_ED25519_KEY: ED25519_PEM }));
    expect(config.accounts[0]?.signing).toEqual({ ed25519PrivateKey: ED25519_PEM });
    expect(issuesOf(text, "bots.yaml", { SIM_KEY: "k" })).toEqual(["accounts[0].ed25519PrivateKey: environment variable SIM_ED25519_KEY is not set"]);
  });

  it.each([
    ["a missing environment variable", VALID, {}, ["accounts[0].apiKey: environment variable SIM_KEY is not set", "accounts[0].apiSecret: environment variable SIM_SECRET is not set"]],
    ["an unknown venue", VALID.replace("venue: SIMULATOR", "venue: KRAKEN"), undefined, ["accounts[0].venue: must be BINANCE or SIMULATOR"]],
    [
      "a Binance account without an environment",
      VALID.replace("venue: SIMULATOR", "venue: BINANCE"),
      undefined,
      ["accounts[0].environment: is required for a BINANCE account (MAINNET, TESTNET or DEMO)"],
    ],
    ["a bot on an unknown account", VALID.replace("  - account: sim", "  - account: live"), undefined, ["bots[0].account: no account is named live"]],
    ["a lower-case symbol", VALID.replace("symbol: BTCUSDT", "symbol: btcusdt"), undefined, ["bots[0].symbol: must be an exchange symbol in capitals, e.g. BTCUSDT"]],
    ["an unknown key", VALID.replace("    symbol: BTCUSDT", "    symbol: BTCUSDT\n    colour: red"), undefined, ['bots[0]: Unrecognized key: "colour"']],
    ["no bots", VALID.slice(0, VALID.indexOf("bots:")) + "bots: []\n", undefined, ["bots: must name at least one bot"]],
    ["an account without a secret", VALID.replace("    apiSecret: ${SIM_SECRET}\n", ""), undefined, ["accounts[0].apiSecret: is required (or ed25519PrivateKey for an Ed25519 key)"]],
    [
      "an HMAC secret and an Ed25519 key together",
      VALID.replace("    apiSecret:", `    ed25519PrivateKey: "${ED25519_PEM.replace(/\n/g, "\\n")}"\n    apiSecret:`),
      undefined,
      ["accounts[0].ed25519PrivateKey: cannot be given with apiSecret: an account signs with one key"],
    ],
    [
      "an Ed25519 key that is no PEM private key",
      VALID.replace("apiSecret: ${SIM_SECRET}", "ed25519PrivateKey: ${SIM_SECRET}"),
      undefined,
      ["accounts[0].ed25519PrivateKey: must be a PEM private key (-----BEGIN PRIVATE KEY----- ...)"],
    ],
    [
      "an RSA key as the Ed25519 key",
      VALID.replace("apiSecret: ${SIM_SECRET}", "ed25519PrivateKey: ${SIM_SECRET}"),
      { SIM_KEY: "k", SIM_SECRET: RSA_PEM },
      ["accounts[0].ed25519PrivateKey: is an RSA key, not an Ed25519 key"],
    ],
  ])("names the path and the reason for %s", (_case, text, env, expected) => {
    expect(issuesOf(text, "bots.yaml", env ?? { SIM_KEY: "k", SIM_SECRET: "s" })).toEqual(expected);
  });

  // Issue 12: one bad symbol used to stop the check before the bot configs and the cross-references were read.
  it("reports every problem of the file at once, whichever entry is broken", () => {
    const text = `
accounts:
  - name: sim
    venue: KRAKEN
    apiKey: \${SIM_KEY}
    apiSecret: s
  - name: sim
    venue: SIMULATOR
    apiKey: k
    apiSecret: s
bots:
  - account: sim
    symbol: btc/usdt
    config: { minNotional: "１0000", band: { minSpread: 0.005, maxSpread: 0.004 } }
  - account: live
    symbol: ETHUSDT
    config: { minNotional: "${"1".repeat(61)}" }
  - account: sim
    symbol: BNBUSDT
    config: { ordersPerSide: 0 }
`;
    const issues = issuesOf(text, "bots.yaml", {});
    expect(issues).toEqual(
      expect.arrayContaining([
        "accounts[0].apiKey: environment variable SIM_KEY is not set",
        "accounts[0].venue: must be BINANCE or SIMULATOR",
        "bots[0].symbol: must be an exchange symbol in capitals, e.g. BTCUSDT",
        expect.stringMatching(/^bots\[0\]\.config\.minNotional: must be a decimal string/),
        expect.stringMatching(/^bots\[0\]\.config\.band\.minSpread: /),
        "bots[1].account: no account is named live",
        "bots[1].config.minNotional: must be at most 1000000000",
        expect.stringMatching(/^bots\[2\]\.config\.ordersPerSide: /),
      ]),
    );
    expect(issues).toHaveLength(8);
  });

  it("passes core's bot config errors through under the bot's path", () => {
    const issues = issuesOf(VALID.replace("minSpread: 0.002, maxSpread: 0.004", "minSpread: 0.005, maxSpread: 0.004"));
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatch(/^bots\[0\]\.config\.band(\.\w+)?: /);
    expect(issuesOf(VALID.replace("band: { minSpread: 0.002, maxSpread: 0.004 }", "reference: { method: LAST }"))[0]).toMatch(
      /^bots\[0\]\.config\.reference\.method: unknown reference method/,
    );
  });

  it("rejects the same symbol twice on one account and an account named twice", () => {
    const twice = VALID + "  - account: sim\n    symbol: BTCUSDT\n";
    expect(issuesOf(twice)).toEqual(["bots[1].symbol: BTCUSDT already has a bot on account sim"]);
    const accounts = VALID.replace("bots:", "  - { name: sim, venue: SIMULATOR, apiKey: a, apiSecret: b }\nbots:");
    expect(issuesOf(accounts)).toEqual(["accounts[1].name: sim is named twice"]);
  });

  it("reports a syntax error with its line, and a file it cannot read", async () => {
    expect(issuesOf("accounts:\n  - name: [unclosed\n")[0]).toMatch(/^: is not valid YAML \(line \d+\)/);
    expect(issuesOf("{", "bots.json")[0]).toMatch(/^: is not valid JSON/);
    await expect(loadHeadlessConfig("/nonexistent/bots.yaml", environment({}))).rejects.toThrow(
      "Invalid headless config /nonexistent/bots.yaml:\n  (file): cannot be read: ENOENT",
    );
  });

  it("accepts the example file shipped with the engine", async () => {
    const example = fileURLToPath(new URL("../../examples/bots.yaml", import.meta.url));
    const config = await loadHeadlessConfig(example, environment({ BANDKEEPER_SIM_API_KEY: "k", BANDKEEPER_SIM_API_SECRET: "s" }));
    expect(config.bots.length).toBeGreaterThan(0);
  });

  it("loads a file from disk", async () => {
    const dir = await mkdtemp(join(tmpdir(), "bk-headless-"));
    try {
      await writeFile(join(dir, "bots.yaml"), VALID);
      const config = await loadHeadlessConfig(join(dir, "bots.yaml"), environment({ SIM_KEY: "k", SIM_SECRET: "s" }));
      expect(config.file).toBe(join(dir, "bots.yaml"));
    } finally {
      await rm(dir, { recursive: true });
    }
  });
});
