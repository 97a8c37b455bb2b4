// Issue 12, finding 1 with the outbound policy as production runs it (BANDKEEPER_OUTBOUND_ALLOW_PRIVATE unset):
// no user-supplied URL (a webhook, an exchange account's own address) makes the server call the machine itself,
// a private network, a link-local address or the cloud metadata service, whether typed as an IP literal in any
// spelling or as a name that resolves there. The operator's own SIMULATOR_URL is not a user's URL.
import type { TestDatabase } from "@bandkeeper/db/testing";
import { encryptSecret, fingerprint } from "@bandkeeper/db/crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AppError } from "../../src/server/errors";
import { createCaller } from "../../src/server/routers";
import { MATRIX_ENCRYPTION_KEY, type MatrixWorld, openMatrixWorld } from "../permissions/harness";
import { fieldIssues, rejection } from "../support/rejection";
import { type HttpTarget, startHttpTarget } from "../support/targets";

let database: TestDatabase;
let world: MatrixWorld;
let target: HttpTarget;

beforeAll(async () => {
  ({ database, world } = await openMatrixWorld("bk_web_outbound_production", { BANDKEEPER_OUTBOUND_ALLOW_PRIVATE: "false" }));
  target = await startHttpTarget();
});

afterAll(async () => {
  await target?.close();
  await world?.close();
  await database?.drop();
});

const admin = () => createCaller({ db: database.prisma, user: world.members.ADMIN });

const LOOPBACK = "This address is the server itself (loopback): refused unless the server is set up for local use.";
const PRIVATE = "This address is in a private network: refused unless the server is set up for local use.";
const LINK_LOCAL = "This address is link-local (169.254.0.0/16, fe80::/10): always refused.";
const METADATA = "This address is a cloud metadata service: always refused.";

async function fieldErrorOf(call: Promise<unknown>): Promise<Record<string, string>> {
  return Object.fromEntries(fieldIssues(await rejection(call)).map((issue) => [issue.path, issue.message]));
}

describe("webhook channels", () => {
  const refused: [string, () => string, string][] = [
    ["loopback", () => `http://127.0.0.1:${target.port}/hook`, LOOPBACK],
    ["a name resolving to loopback", () => `http://localhost:${target.port}/hook`, LOOPBACK],
    ["IPv4-mapped IPv6 loopback", () => `http://[::ffff:127.0.0.1]:${target.port}/hook`, LOOPBACK],
    ["loopback as one number", () => `http://2130706433:${target.port}/hook`, LOOPBACK],
    ["IPv6 loopback", () => `http://[::1]:${target.port}/hook`, LOOPBACK],
    ["a private network", () => "http://10.0.0.7/hook", PRIVATE],
    ["a private network over https", () => "https://192.168.1.20/hook", PRIVATE],
    ["the metadata service", () => "http://169.254.169.254/latest/meta-data/iam/security-credentials/", METADATA],
    ["the IPv6 metadata service", () => "http://[fd00:ec2::254]/latest/meta-data/", METADATA],
    ["link-local", () => "http://169.254.10.1/", LINK_LOCAL],
  ];

  it.each(refused)("refuses %s when the channel is saved, on its URL field, and saves nothing", async (_case, url, message) => {
    const name = `hook ${world.unique()}`;
    expect(await fieldErrorOf(admin().alerts.createChannel({ name, type: "WEBHOOK", config: { url: url(), format: "json" } }))).toEqual({
      "config.url": message,
    });
    expect(await database.prisma.alertChannel.count({ where: { name } })).toBe(0);
    expect(target.requests).toHaveLength(0);
  });

  it("refuses the same for a Slack or WeCom channel and when a channel's URL is changed", async () => {
    expect(
      await fieldErrorOf(admin().alerts.createChannel({ name: `slack ${world.unique()}`, type: "SLACK", config: { url: `http://127.0.0.1:${target.port}/services/T/B/x`, format: "slack" } })),
    ).toEqual({ "config.url": LOOPBACK });
    const channel = await admin().alerts.createChannel({ name: `ok ${world.unique()}`, type: "WECOM", config: { url: "https://qyapi.weixin.qq.example/cgi-bin/webhook/send?key=k", format: "wecom" } });
    const update = { channelId: channel.id, name: "moved", enabled: true, type: "WECOM" as const, config: { url: "http://169.254.169.254/", format: "wecom" as const } };
    expect(await fieldErrorOf(admin().alerts.updateChannel(update))).toEqual({ "config.url": METADATA });
  });

  it("refuses a test notice to a channel whose stored URL is refused now, and queues nothing", async () => {
    // Written straight to the table: saved before the policy, or by another path.
    const channel = await database.prisma.alertChannel.create({
      data: { teamId: world.teamId, name: `old ${world.unique()}`, type: "WEBHOOK", config: { url: `http://127.0.0.1:${target.port}/hook`, format: "json" } },
    });
    const error = await rejection(admin().alerts.sendTest({ channelId: channel.id }));
    expect((error as AppError).appCode).toBe("INVALID_INPUT");
    expect(error.message).toBe(`This channel's URL is not called: ${LOOPBACK}`);
    expect(await database.prisma.alertDelivery.count({ where: { channelId: channel.id } })).toBe(0);
  });
});

describe("exchange accounts with an address of their own", () => {
  const simulatorAccount = (baseUrl: string) => ({
    name: `Sim ${world.unique()}`,
    venue: "SIMULATOR" as const,
    apiKey: world.simulator.apiKey,
    apiSecret: world.simulator.apiSecret,
    baseUrl,
  });

  it.each([
    ["loopback", () => target.url, LOOPBACK],
    ["a name resolving to loopback", () => `http://localhost:${target.port}`, LOOPBACK],
    ["the metadata service", () => "http://169.254.169.254", METADATA],
    ["a private network", () => "http://172.16.5.5:8765", PRIVATE],
  ])("refuses %s on the baseUrl field before any request is signed", async (_case, url, message) => {
    const input = simulatorAccount(url());
    expect(await fieldErrorOf(admin().accounts.create(input))).toEqual({ baseUrl: message });
    expect(await database.prisma.exchangeAccount.count({ where: { name: input.name } })).toBe(0);
    expect(target.requests).toHaveLength(0);
  });

  it("refuses every later call with a stored address the policy refuses: balances and a new bot", async () => {
    const account = await database.prisma.exchangeAccount.create({
      data: {
        teamId: world.teamId,
        name: `Stored ${world.unique()}`,
        venue: "SIMULATOR",
        environment: "SIMULATOR",
        baseUrl: target.url,
        apiKeyCiphertext: encryptSecret(world.simulator.apiKey, MATRIX_ENCRYPTION_KEY),
        apiSecretCiphertext: encryptSecret(world.simulator.apiSecret, MATRIX_ENCRYPTION_KEY),
        keyFingerprint: fingerprint(world.simulator.apiKey),
      },
    });
    const balances = await rejection(admin().accounts.balances({ accountId: account.id }));
    expect((balances as AppError).appCode).toBe("INVALID_INPUT");
    expect(balances.message).toBe(`This account's address is not called: ${LOOPBACK}`);
    const bot = await rejection(
      createCaller({ db: database.prisma, user: world.members.TRADER }).changes.proposeBot({ exchangeAccountId: account.id, symbol: "BTCUSDT", config: {}, reason: "ssrf" }),
    );
    expect(bot.message).toBe(`This account's address is not called: ${LOOPBACK}`);
    expect(target.requests).toHaveLength(0);
  });

  it("still reaches the operator's simulator (SIMULATOR_URL) for an account without an address of its own", async () => {
    const balances = await admin().accounts.balances({ accountId: world.accountId });
    expect(balances.balances.map((balance) => balance.asset)).toContain("USDT");
  });
});
