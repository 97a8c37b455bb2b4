// Exchange accounts against a real in-process simulator: keys are proven with a signed request before they are
// stored, stored only encrypted, and disabling an account stops its bots in the same transaction.
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { DEMO_BASE_URLS } from "@bandkeeper/binance";
import { decryptSecret, fingerprint } from "@bandkeeper/db/crypto";
import type { TestDatabase } from "@bandkeeper/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { baseUrlsOf, venueColumns } from "../src/server/exchange";
import { createCaller } from "../src/server/routers";
import { MATRIX_ENCRYPTION_KEY, type MatrixWorld, openMatrixWorld } from "./permissions/harness";
import { fieldIssues, rejection } from "./support/rejection";

let database: TestDatabase;
let world: MatrixWorld;

beforeAll(async () => {
  ({ database, world } = await openMatrixWorld("bk_web_accounts"));
});

afterAll(async () => {
  await world?.close();
  await database?.drop();
});

const admin = () => createCaller({ db: database.prisma, user: world.members.ADMIN });

async function failure(call: Promise<unknown>) {
  const error = await rejection(call);
  return { error, fields: fieldIssues(error).map((issue) => issue.path) };
}

function simulatorAccount(overrides: Record<string, string> = {}) {
  return {
    name: `Sim ${world.unique()}`,
    venue: "SIMULATOR" as const,
    apiKey: world.simulator.apiKey,
    apiSecret: world.simulator.apiSecret,
    baseUrl: world.simulator.url,
    ...overrides,
  };
}

describe("accounts.create", () => {
  it("saves an account whose keys the venue accepts, encrypted, shown by fingerprint, with its audit entry", async () => {
    const input = simulatorAccount();
    const created = await admin().accounts.create(input);
    expect(created.keyFingerprint).not.toContain(world.simulator.apiKey);

    const row = await database.prisma.exchangeAccount.findUniqueOrThrow({ where: { id: created.id } });
    expect(row.apiSecretCiphertext).not.toContain(world.simulator.apiSecret);
    expect(decryptSecret(row.apiSecretCiphertext, MATRIX_ENCRYPTION_KEY)).toBe(world.simulator.apiSecret);
    expect(decryptSecret(row.apiKeyCiphertext, MATRIX_ENCRYPTION_KEY)).toBe(world.simulator.apiKey);
    expect(row).toMatchObject({ venue: "SIMULATOR", environment: "SIMULATOR", baseUrl: world.simulator.url });

    const audit = await database.prisma.auditLog.findFirstOrThrow({ where: { entityId: created.id } });
    expect(audit).toMatchObject({ action: "account.create", actorId: world.members.ADMIN.id });
    expect(JSON.stringify(audit.payload)).not.toContain(world.simulator.apiSecret);

    const listed = (await admin().accounts.list()).find((account) => account.id === created.id);
    expect(listed).toMatchObject({ name: input.name, keyFingerprint: created.keyFingerprint, status: "ACTIVE" });
    expect(JSON.stringify(listed)).not.toContain(world.simulator.apiSecret);
  });

  it("refuses a wrong secret on the apiSecret field and saves nothing", async () => {
    const input = simulatorAccount({ apiSecret: "0".repeat(48) });
    const { error, fields } = await failure(admin().accounts.create(input));
    expect(error.code).toBe("BAD_REQUEST");
    expect(fields).toEqual(["apiSecret"]);
    expect(error.message).toMatch(/secret does not belong to the API key/);
    expect(await database.prisma.exchangeAccount.count({ where: { name: input.name } })).toBe(0);
  });

  it("refuses a key the venue does not know on the apiKey field", async () => {
    const { fields } = await failure(admin().accounts.create(simulatorAccount({ apiKey: "nobody-knows-this-key" })));
    expect(fields).toEqual(["apiKey"]);
  });

  it("says the venue did not answer when nothing listens at its address", async () => {
    const { error } = await failure(admin().accounts.create(simulatorAccount({ baseUrl: "http://127.0.0.1:9" })));
    expect(error.code).toBe("BAD_GATEWAY");
    expect(error.message).toMatch(/did not answer/);
  });

  it("names each invalid field with its reason", async () => {
    const { fields } = await failure(
      admin().accounts.create({ name: "", venue: "BINANCE_TESTNET", apiKey: "", apiSecret: "x", baseUrl: "http://x.example" }),
    );
    expect(fields.sort()).toEqual(["apiKey", "baseUrl", "name"]);
  });

  it("refuses a name another account of the team has", async () => {
    const input = simulatorAccount();
    await admin().accounts.create(input);
    const { fields } = await failure(admin().accounts.create({ ...input }));
    expect(fields).toEqual(["name"]);
  });
});

// Issue 13: an Ed25519 key (the simulator holds only its public key and verifies every signature with it).
describe("accounts.create with an Ed25519 key", () => {
  async function ed25519SimulatorAccount() {
    const { privateKey, publicKey } = generateKeyPairSync("ed25519");
    const apiKey = `ed-${randomBytes(6).toString("hex")}`;
    const response = await fetch(`${world.simulator.url}/admin/accounts`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ apiKey, ed25519PublicKey: publicKey.export({ format: "pem", type: "spki" }).toString(), balances: { USDT: "5000" } }),
    });
    expect(response.ok).toBe(true);
    return { apiKey, privateKeyPem: privateKey.export({ format: "pem", type: "pkcs8" }).toString() };
  }

  function ed25519Input(apiKey: string, ed25519PrivateKey: string) {
    return { name: `Ed ${world.unique()}`, venue: "SIMULATOR" as const, keyType: "ED25519" as const, apiKey, ed25519PrivateKey, baseUrl: world.simulator.url };
  }

  it("saves it once the venue accepted its signature: the private key encrypted, the key type stored, balances read with it", async () => {
    const keys = await ed25519SimulatorAccount();
    const created = await admin().accounts.create(ed25519Input(keys.apiKey, keys.privateKeyPem));
    const row = await database.prisma.exchangeAccount.findUniqueOrThrow({ where: { id: created.id } });
    expect(row.keyType).toBe("ED25519");
    expect(row.apiSecretCiphertext).not.toContain("PRIVATE KEY");
    expect(decryptSecret(row.apiSecretCiphertext, MATRIX_ENCRYPTION_KEY)).toBe(keys.privateKeyPem);
    const audit = await database.prisma.auditLog.findFirstOrThrow({ where: { entityId: created.id } });
    expect(audit.payload).toMatchObject({ keyType: "ED25519" });
    expect(JSON.stringify(audit.payload)).not.toContain("PRIVATE KEY");

    const listed = (await admin().accounts.list()).find((account) => account.id === created.id);
    expect(listed).toMatchObject({ keyType: "ED25519" });
    expect(JSON.stringify(listed)).not.toContain("PRIVATE KEY");
    expect((await admin().accounts.balances({ accountId: created.id })).balances).toEqual([{ asset: "USDT", free: "5000", locked: "0" }]);
  });

  it("refuses another private key on the ed25519PrivateKey field, and a text that is no Ed25519 PEM key", async () => {
    const keys = await ed25519SimulatorAccount();
    const stranger = generateKeyPairSync("ed25519").privateKey.export({ format: "pem", type: "pkcs8" }).toString();
    const wrong = await failure(admin().accounts.create(ed25519Input(keys.apiKey, stranger)));
    expect(wrong.fields).toEqual(["ed25519PrivateKey"]);
    expect(wrong.error.message).toMatch(/private key does not belong to the API key/);

    const notPem = await failure(admin().accounts.create(ed25519Input(keys.apiKey, "0123456789abcdef")));
    expect(notPem.fields).toEqual(["ed25519PrivateKey"]);
    expect(notPem.error.message).toMatch(/must be a PEM private key/);
    const rsa = generateKeyPairSync("rsa", { modulusLength: 1024 }).privateKey.export({ format: "pem", type: "pkcs8" }).toString();
    expect((await failure(admin().accounts.create(ed25519Input(keys.apiKey, rsa)))).error.message).toMatch(/an RSA key, not an Ed25519 key/);
    const missing = await failure(admin().accounts.create({ ...ed25519Input(keys.apiKey, ""), ed25519PrivateKey: undefined }));
    expect(missing.fields).toEqual(["ed25519PrivateKey"]);
    expect(await database.prisma.exchangeAccount.count({ where: { keyFingerprint: fingerprint(keys.apiKey) } })).toBe(0);
  });
});

describe("Binance demo trading", () => {
  it("is a Binance account in the DEMO environment at Binance's demo endpoints, which takes no address of its own", async () => {
    expect(venueColumns("BINANCE_DEMO")).toEqual({ venue: "BINANCE", environment: "DEMO" });
    expect(baseUrlsOf({ ...venueColumns("BINANCE_DEMO"), baseUrl: null })).toEqual(DEMO_BASE_URLS);
    const { fields } = await failure(
      admin().accounts.create({ name: "Demo", venue: "BINANCE_DEMO", apiKey: "k", apiSecret: "s", baseUrl: "http://127.0.0.1:1" }),
    );
    expect(fields).toEqual(["baseUrl"]);
  });
});

describe("accounts.balances", () => {
  it("reads the non-zero balances from the venue with the stored keys", async () => {
    const result = await admin().accounts.balances({ accountId: world.accountId });
    expect(result.canTrade).toBe(true);
    expect(result.balances).toEqual([
      { asset: "BTC", free: "2", locked: "0" },
      { asset: "USDT", free: "100000", locked: "0" },
    ]);
  });

  it("does not find another team's account", async () => {
    const other = await database.prisma.team.create({ data: { name: "Elsewhere", slug: `elsewhere-${world.unique()}` } });
    const account = await database.prisma.exchangeAccount.create({
      data: {
        teamId: other.id,
        name: "Theirs",
        venue: "SIMULATOR",
        environment: "SIMULATOR",
        apiKeyCiphertext: "x",
        apiSecretCiphertext: "x",
        keyFingerprint: "x",
      },
    });
    const { error } = await failure(admin().accounts.balances({ accountId: account.id }));
    expect(error.code).toBe("NOT_FOUND");
    const { error: disableError } = await failure(admin().accounts.disable({ accountId: account.id }));
    expect(disableError.code).toBe("NOT_FOUND");
    expect((await database.prisma.exchangeAccount.findUniqueOrThrow({ where: { id: account.id } })).status).toBe("ACTIVE");
  });
});

describe("accounts.disable and enable", () => {
  it("stops the account's running bots in the same transaction and records why; enabling leaves them stopped", async () => {
    const account = await world.createAccount();
    const running = await database.prisma.bot.create({
      data: { teamId: world.teamId, exchangeAccountId: account.id, symbol: "BTCUSDT", desiredState: "RUNNING" },
    });
    const paused = await database.prisma.bot.create({
      data: { teamId: world.teamId, exchangeAccountId: account.id, symbol: "ETHUSDT", desiredState: "PAUSED" },
    });

    const listed = async () => (await admin().accounts.list()).find((entry) => entry.id === account.id);
    // What the account-wide "Pause all" and "Emergency stop all" confirmations count.
    expect(await listed()).toMatchObject({ bots: 2, runningBots: 1, pausedBots: 1 });

    const result = await admin().accounts.disable({ accountId: account.id, reason: "key rotated" });
    expect(await listed()).toMatchObject({ bots: 2, runningBots: 0, pausedBots: 0 });
    expect(result.stoppedBots.sort()).toEqual(["BTCUSDT", "ETHUSDT"]);
    const bots = await database.prisma.bot.findMany({ where: { id: { in: [running.id, paused.id] } } });
    expect(bots.map((bot) => bot.desiredState)).toEqual(["STOPPED", "STOPPED"]);
    expect(await database.prisma.exchangeAccount.findUniqueOrThrow({ where: { id: account.id } })).toMatchObject({
      status: "DISABLED",
      statusReason: "key rotated",
    });
    expect((await failure(admin().accounts.disable({ accountId: account.id }))).error.message).toMatch(/already disabled/);

    await admin().accounts.enable({ accountId: account.id });
    expect((await database.prisma.exchangeAccount.findUniqueOrThrow({ where: { id: account.id } })).status).toBe("ACTIVE");
    expect((await database.prisma.bot.findUniqueOrThrow({ where: { id: running.id } })).desiredState).toBe("STOPPED");

    const actions = await database.prisma.auditLog.findMany({ where: { entityId: account.id }, orderBy: { createdAt: "asc" } });
    expect(actions.map((entry) => entry.action)).toEqual(["account.disable", "account.enable"]);
  });
});
