// Issue 12, finding 1 with the local-use setting (BANDKEEPER_OUTBOUND_ALLOW_PRIVATE=true, as tests and a laptop
// run): loopback and private targets may be called, but link-local and metadata addresses never; a redirect is
// never followed; and nothing a target answers, or how its port failed, reaches the person who typed the URL.
import { createEmailSender, DeliveryWorker } from "@bandkeeper/alerts";
import { until } from "@bandkeeper/testkit";
import type { TestDatabase } from "@bandkeeper/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCaller } from "../../src/server/routers";
import { MATRIX_ENCRYPTION_KEY, type MatrixWorld, openMatrixWorld } from "../permissions/harness";
import { fieldIssues, rejection } from "../support/rejection";
import { type HttpTarget, startHangUpPort, startHttpTarget } from "../support/targets";

let database: TestDatabase;
let world: MatrixWorld;
const closers: (() => Promise<void>)[] = [];

beforeAll(async () => {
  ({ database, world } = await openMatrixWorld("bk_web_outbound_local", { BANDKEEPER_OUTBOUND_ALLOW_PRIVATE: "true" }));
});

afterAll(async () => {
  for (const close of closers.reverse()) await close();
  await world?.close();
  await database?.drop();
});

async function target(answer?: HttpTarget["answer"]): Promise<HttpTarget> {
  const started = await startHttpTarget(answer);
  closers.push(() => started.close());
  return started;
}

const admin = () => createCaller({ db: database.prisma, user: world.members.ADMIN });
const simulatorAccount = (baseUrl: string) => ({
  name: `Sim ${world.unique()}`,
  venue: "SIMULATOR" as const,
  apiKey: world.simulator.apiKey,
  apiSecret: world.simulator.apiSecret,
  baseUrl,
});

describe("with private targets allowed", () => {
  it("still refuses link-local and metadata addresses, for webhooks and account addresses alike", async () => {
    for (const url of ["http://169.254.169.254/latest/meta-data/", "http://[fe80::1]/hook", "http://[::ffff:169.254.169.254]/"]) {
      const webhook = await rejection(admin().alerts.createChannel({ name: `h ${world.unique()}`, type: "WEBHOOK", config: { url, format: "json" } }));
      expect(fieldIssues(webhook).map((issue) => issue.path)).toEqual(["config.url"]);
      const account = await rejection(admin().accounts.create(simulatorAccount(new URL(url).origin)));
      expect(fieldIssues(account).map((issue) => issue.path)).toEqual(["baseUrl"]);
    }
  });

  it("lets a webhook on 127.0.0.1 be saved (the test receivers, a local tool)", async () => {
    const local = await target();
    await expect(admin().alerts.createChannel({ name: `local ${world.unique()}`, type: "WEBHOOK", config: { url: `${local.url}/hook`, format: "json" } })).resolves.toMatchObject({ secret: expect.any(String) as string });
  });
});

describe("an exchange account's address", () => {
  it("is not followed when it redirects, to a private address or to the metadata service", async () => {
    const inner = await target();
    for (const location of [`${inner.url}/api/v3/account`, "http://169.254.169.254/latest/meta-data/"]) {
      const redirecting = await target((_req, res) => res.writeHead(302, { Location: location }).end());
      const error = await rejection(admin().accounts.create(simulatorAccount(redirecting.url)));
      expect(error.message).toBe(`The exchange at ${redirecting.url} refused the request (HTTP 302).`);
      expect(redirecting.requests).toHaveLength(1);
    }
    expect(inner.requests).toHaveLength(0);
  });

  it("tells a closed port, a port that hangs up and a server that answers garbage apart by nothing but the fixed reason", async () => {
    const hangUp = await startHangUpPort();
    closers.push(() => hangUp.close());
    const garbage = await target((_req, res) => res.writeHead(200, { "Content-Type": "text/plain" }).end("SSH-2.0-OpenSSH_9.6 internal banner"));
    const messages = [];
    for (const url of ["http://127.0.0.1:9", `http://127.0.0.1:${hangUp.port}`, garbage.url]) {
      const error = await rejection(admin().accounts.create(simulatorAccount(url)));
      messages.push(error.message.replace(url, "<url>"));
    }
    expect(messages).toEqual(["The exchange at <url> did not answer.", "The exchange at <url> did not answer.", "The exchange at <url> did not answer."]);
  });
});

describe("the delivery history", () => {
  it("keeps the status and a fixed reason, never the receiver's body, for every member to read", async () => {
    const chatty = await target((_req, res) => res.writeHead(500, { "Content-Type": "text/plain" }).end("root:x:0:0:root:/root:/bin/bash internal-secret"));
    const channel = await admin().alerts.createChannel({ name: `chatty ${world.unique()}`, type: "WEBHOOK", config: { url: `${chatty.url}/hook`, format: "json" } });
    await admin().alerts.sendTest({ channelId: channel.id });
    // The engine's sender, as the engine runs it with this setting.
    const worker = new DeliveryWorker({
      prisma: database.prisma,
      encryptionKey: MATRIX_ENCRYPTION_KEY,
      email: createEmailSender(null),
      outbound: { allowPrivateNetworks: true, requireHttps: false },
      webUrl: "http://dashboard.test",
      clock: { now: () => Date.now() },
      logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
      timing: { pollMs: 50, sendTimeoutMs: 1_000, leaseMs: 3_000, maxAttempts: 1 },
    });
    worker.start();
    closers.push(() => worker.stop());
    const viewer = createCaller({ db: database.prisma, user: world.members.VIEWER });
    const shown = await until(async () => {
      const listed = (await viewer.alerts.channels()).find((c) => c.id === channel.id);
      return listed?.recentTests[0]?.status === "FAILED" ? listed : undefined;
    }, 10_000, "the failed test delivery");
    expect(shown.recentTests[0]).toMatchObject({ lastError: "the receiver answered HTTP 500", attempts: [{ statusCode: 500, error: "the receiver answered HTTP 500" }] });
    expect(JSON.stringify(await viewer.alerts.channels())).not.toContain("internal-secret");
    expect(chatty.requests).toHaveLength(1);
  });
});
