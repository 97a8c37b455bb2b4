// The alerts procedures through the real router against a real database: field errors that name the field, audit
// entries written with the change, team scoping, the test notice in the outbox, the history with every attempt,
// and acknowledging.
import { randomBytes } from "node:crypto";
import { verifyWebhook } from "@bandkeeper/alerts";
import { decryptSecret } from "@bandkeeper/db/crypto";
import { DEMO_LOGINS, seedDemo } from "@bandkeeper/db/seed";
import { type TestDatabase, createTestDatabase } from "@bandkeeper/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCaller } from "../src/server/routers";
import type { SessionUser } from "../src/server/trpc";
import { fieldIssues, rejection } from "./support/rejection";
import { testServerUrl } from "@bandkeeper/testkit";

const ENCRYPTION_KEY = randomBytes(32);
type Role = "OWNER" | "ADMIN" | "TRADER" | "VIEWER";

let database: TestDatabase;
const members = new Map<Role, SessionUser>();
let teamId: string;
let botId: string;
let otherTeamChannelId: string;

const caller = (role: Role) => createCaller({ db: database.prisma, user: members.get(role)! });

async function fieldErrors(call: Promise<unknown>): Promise<Record<string, string>> {
  return Object.fromEntries(fieldIssues(await rejection(call)).map((issue) => [issue.path, issue.message]));
}

beforeAll(async () => {
  database = await createTestDatabase(testServerUrl, "bk_web_alerts");
  Object.assign(process.env, {
    DATABASE_URL: database.url,
    NEXTAUTH_SECRET: randomBytes(32).toString("hex"),
    BANDKEEPER_ENCRYPTION_KEY: ENCRYPTION_KEY.toString("base64"),
  });
  const prisma = database.prisma;
  teamId = (await seedDemo(prisma, { encryptionKey: ENCRYPTION_KEY })).teamId;
  for (const login of DEMO_LOGINS) {
    const user = await prisma.user.findUniqueOrThrow({ where: { email: login.email } });
    members.set(login.role, { id: user.id, email: user.email, name: user.name, teamId });
  }
  botId = (await prisma.bot.findFirstOrThrow({ where: { teamId, symbol: "BTCUSDT" } })).id;
  const other = await prisma.team.create({ data: { name: "Other desk", slug: "other-desk" } });
  otherTeamChannelId = (await prisma.alertChannel.create({ data: { teamId: other.id, name: "theirs", type: "EMAIL", config: { recipients: ["x@example.com"] } } })).id;
});

afterAll(async () => database?.drop());

describe("alert rules", () => {
  it("a new team starts with the default rules from the targets", async () => {
    const rules = await caller("VIEWER").alerts.rules();
    expect(rules.map((r) => [r.kind, r.threshold])).toContainEqual(["TWO_SIDED_BELOW", 0.999]);
    expect(rules.map((r) => [r.kind, r.threshold])).toContainEqual(["LATENCY_P99_ABOVE", 100]);
    expect(rules).toHaveLength(10);
  });

  it("refuses thresholds and windows out of range, naming the field", async () => {
    const base = { name: "r", kind: "TWO_SIDED_BELOW" as const, botId: null, threshold: 0.999, windowSeconds: 300, escalateAfterMinutes: null, enabled: true, channelIds: [] as string[] };
    expect(await fieldErrors(caller("ADMIN").alerts.createRule({ ...base, threshold: 1.2 }))).toEqual({ threshold: "The threshold must be between 0% and 100%." });
    expect(await fieldErrors(caller("ADMIN").alerts.createRule({ ...base, kind: "LATENCY_P99_ABOVE", threshold: 0 }))).toEqual({ threshold: "The threshold must be between 1 and 60000 ms." });
    expect(await fieldErrors(caller("ADMIN").alerts.createRule({ ...base, windowSeconds: 5 }))).toEqual({ windowSeconds: "The window must be 10 s to 86400 s (a day)." });
    expect(await fieldErrors(caller("ADMIN").alerts.createRule({ ...base, channelIds: [otherTeamChannelId] }))).toEqual({ channelIds: "Every channel must be one of this team's." });
  });

  it("creates, updates and deletes a rule, each with its audit entry", async () => {
    const admin = caller("ADMIN");
    const channel = await admin.alerts.createChannel({ name: "desk mail", type: "EMAIL", config: { recipients: ["desk@example.com"] } });
    const { id } = await admin.alerts.createRule({ name: "BTC two-sided", kind: "TWO_SIDED_BELOW", botId, threshold: 0.995, windowSeconds: 120, escalateAfterMinutes: 10, enabled: true, channelIds: [channel.id] });
    await admin.alerts.updateRule({ ruleId: id, rule: { name: "BTC two-sided", kind: "TWO_SIDED_BELOW", botId, threshold: 0.99, windowSeconds: 120, escalateAfterMinutes: null, enabled: false, channelIds: [] } });
    const updated = (await admin.alerts.rules()).find((r) => r.id === id);
    expect(updated).toMatchObject({ threshold: 0.99, enabled: false, channels: [], bot: { id: botId, symbol: "BTCUSDT" } });
    await admin.alerts.deleteRule({ ruleId: id });
    const audit = await database.prisma.auditLog.findMany({ where: { teamId, entityId: id }, orderBy: { createdAt: "asc" } });
    expect(audit.map((a) => a.action)).toEqual(["alert_rule.create", "alert_rule.update", "alert_rule.delete"]);
    expect(audit[1]!.payload).toMatchObject({ before: { threshold: 0.995 }, after: { threshold: 0.99 } });
  });
});

describe("alert channels", () => {
  it("refuses invalid email addresses and webhook URLs, naming the field", async () => {
    const admin = caller("ADMIN");
    expect(await fieldErrors(admin.alerts.createChannel({ name: "m", type: "EMAIL", config: { recipients: ["ops@example.com", "not-an-address"] } }))).toEqual({
      "config.recipients.1": "Enter a valid email address.",
    });
    expect(await fieldErrors(admin.alerts.createChannel({ name: "h", type: "WEBHOOK", config: { url: "ftp://example.com/x", format: "json" } }))).toEqual({
      "config.url": "Enter an http:// or https:// URL.",
    });
    await admin.alerts.createChannel({ name: "taken", type: "EMAIL", config: { recipients: ["a@example.com"] } });
    expect(await fieldErrors(admin.alerts.createChannel({ name: "taken", type: "EMAIL", config: { recipients: ["a@example.com"] } }))).toEqual({ name: "Another channel of this team has this name." });
  });

  it("gives a webhook channel a signing secret shown once and stored encrypted", async () => {
    const created = await caller("OWNER").alerts.createChannel({ name: "signed hook", type: "WEBHOOK", config: { url: "https://hooks.example/a/secret-token", format: "json" } });
    expect(created.secret).toMatch(/^whsec_/);
    const row = await database.prisma.alertChannel.findUniqueOrThrow({ where: { id: created.id } });
    expect(row.secretCiphertext).not.toContain(created.secret!);
    expect(decryptSecret(row.secretCiphertext!, ENCRYPTION_KEY)).toBe(created.secret);
    // Owners see the URL; a viewer only its origin (a chat tool's URL is its password). Nobody sees the secret again.
    expect((await caller("OWNER").alerts.channels()).find((c) => c.id === created.id)).toMatchObject({ target: "https://hooks.example/a/secret-token", signed: true });
    expect((await caller("VIEWER").alerts.channels()).find((c) => c.id === created.id)).toMatchObject({ target: "https://hooks.example/…" });
    expect(JSON.stringify(await caller("OWNER").alerts.channels())).not.toContain(created.secret);
    const audit = await database.prisma.auditLog.findFirstOrThrow({ where: { entityId: created.id, action: "alert_channel.create" } });
    expect(JSON.stringify(audit.payload)).not.toContain(created.secret);
    expect(verifyWebhook(created.secret!, { signature: "sha256=00", timestamp: "1" }, "{}", 1)).toBe(false);

    // A lost secret is replaced, not shown again: the new one is stored, the old one no longer verifies.
    const rotated = await caller("ADMIN").alerts.rotateSecret({ channelId: created.id });
    expect(rotated.secret).not.toBe(created.secret);
    const after = await database.prisma.alertChannel.findUniqueOrThrow({ where: { id: created.id } });
    expect(decryptSecret(after.secretCiphertext!, ENCRYPTION_KEY)).toBe(rotated.secret);
    expect(await database.prisma.auditLog.count({ where: { entityId: created.id, action: "alert_channel.rotate_secret" } })).toBe(1);
  });

  it("send test puts a TEST notice in the outbox, audited, shown under the channel", async () => {
    const admin = caller("ADMIN");
    const channel = await admin.alerts.createChannel({ name: "test hook", type: "SLACK", config: { url: "https://hooks.slack.example/T/B/x", format: "slack" } });
    const delivery = await admin.alerts.sendTest({ channelId: channel.id });
    expect(delivery).toMatchObject({ notice: "TEST", status: "PENDING", attempts: [], channel: { id: channel.id, type: "SLACK" } });
    expect((await admin.alerts.channels()).find((c) => c.id === channel.id)?.recentTests.map((d) => d.id)).toEqual([delivery.id]);
    expect(await database.prisma.auditLog.count({ where: { entityId: channel.id, action: "alert_channel.test" } })).toBe(1);
    const theirs = await caller("ADMIN").alerts.sendTest({ channelId: otherTeamChannelId }).catch((e: unknown) => e);
    expect(theirs).toMatchObject({ appCode: "NOT_FOUND" });
  });
});

describe("alert history", () => {
  it("lists events with each delivery and attempt, and acknowledging stops escalation, once, audited", async () => {
    const prisma = database.prisma;
    const rule = await prisma.alertRule.findFirstOrThrow({ where: { teamId, kind: "BOT_FAULTED" } });
    const channel = await prisma.alertChannel.create({ data: { teamId, name: "history hook", type: "WEBHOOK", config: { url: "https://hooks.example/h", format: "json" } } });
    const event = await prisma.alertEvent.create({ data: { teamId, ruleId: rule.id, botId, dedupeKey: `${rule.id}:${botId}`, openDedupeKey: `${rule.id}:${botId}`, message: "BTCUSDT: bot faulted: faulted (boom)" } });
    const delivery = await prisma.alertDelivery.create({ data: { eventId: event.id, channelId: channel.id, notice: "BREACH", idempotencyKey: `${event.id}:${channel.id}:breach`, status: "DELIVERED", attempts: 2 } });
    await prisma.deliveryAttempt.createMany({
      data: [
        { deliveryId: delivery.id, attempt: 1, startedAt: new Date(), finishedAt: new Date(), success: false, statusCode: 500, error: "HTTP 500: boom" },
        { deliveryId: delivery.id, attempt: 2, startedAt: new Date(), finishedAt: new Date(), success: true, statusCode: 200 },
      ],
    });

    const history = await caller("VIEWER").alerts.history({ state: "OPEN" });
    const shown = history.events.find((e) => e.id === event.id);
    expect(shown).toMatchObject({ state: "OPEN", rule: { kind: "BOT_FAULTED" }, bot: { symbol: "BTCUSDT" }, acknowledgedAt: null });
    expect(shown?.deliveries[0]?.attempts.map((a) => [a.attempt, a.success, a.statusCode, a.error])).toEqual([
      [1, false, 500, "HTTP 500: boom"],
      [2, true, 200, null],
    ]);

    const viewerTry = await caller("VIEWER").alerts.acknowledge({ eventId: event.id }).catch((e: unknown) => e);
    expect(viewerTry).toMatchObject({ appCode: "PERMISSION_DENIED" });
    const first = await caller("TRADER").alerts.acknowledge({ eventId: event.id });
    const again = await caller("ADMIN").alerts.acknowledge({ eventId: event.id });
    expect(again.acknowledgedAt).toEqual(first.acknowledgedAt);
    expect((await caller("VIEWER").alerts.history({})).events.find((e) => e.id === event.id)).toMatchObject({ acknowledgedBy: members.get("TRADER")!.name });
    expect(await prisma.auditLog.count({ where: { entityId: event.id, action: "alert.acknowledge" } })).toBe(1);
  });

  it("pages through the history newest first", async () => {
    const prisma = database.prisma;
    const rule = await prisma.alertRule.findFirstOrThrow({ where: { teamId, kind: "RISK_ACTION" } });
    for (let i = 0; i < 3; i += 1) {
      await prisma.alertEvent.create({
        data: { teamId, ruleId: rule.id, botId, dedupeKey: `${rule.id}:${botId}`, state: "RESOLVED", message: `page ${i}`, openedAt: new Date(Date.UTC(2020, 0, 1, i)) },
      });
    }
    const all = await caller("VIEWER").alerts.history({ state: "RESOLVED", limit: 100 });
    const first = await caller("VIEWER").alerts.history({ state: "RESOLVED", limit: 2 });
    const second = await caller("VIEWER").alerts.history({ state: "RESOLVED", limit: 2, cursor: first.nextCursor! });
    expect([...first.events, ...second.events].map((e) => e.id)).toEqual(all.events.slice(0, 4).map((e) => e.id));
    expect(all.events.filter((e) => e.message.startsWith("page ")).map((e) => e.message)).toEqual(["page 2", "page 1", "page 0"]);
  });
});
