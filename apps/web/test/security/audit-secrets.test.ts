// Issue 12, finding 5: the audit log, which every member reads, kept Slack and WeCom webhook URLs (bearer secrets)
// in full. Here every action the dashboard audits (AUDIT_ACTIONS) is performed through its procedure with secrets
// in its input (exchange keys, chat webhook URLs with their tokens, signing secrets, an invitation token, a
// password, a wrong password, a TOTP secret and recovery codes, URLs pasted into free text), and every payload
// written is scanned for them.
import type { TestDatabase } from "@bandkeeper/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generate } from "otplib";
import { AUDIT_ACTIONS } from "../../src/server/audit";
import { authenticate } from "../../src/server/auth";
import { redactSecrets } from "../../src/server/audit-redaction";
import { createCaller } from "../../src/server/routers";
import type { SessionUser } from "../../src/server/trpc";
import { MATRIX_PASSWORD, type MatrixWorld, openMatrixWorld } from "../permissions/harness";

let database: TestDatabase;
let world: MatrixWorld;

beforeAll(async () => {
  ({ database, world } = await openMatrixWorld("bk_web_audit_secrets"));
});

afterAll(async () => {
  await world?.close();
  await database?.drop();
});

const as = (user: SessionUser | null) => createCaller({ db: database.prisma, user });

// Tokens the way each chat tool puts them in its webhook URL.
const SLACK_TOKEN = "xoxSlackToken0123456789abcdef";
const WECOM_KEY = "693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa";
const DISCORD_TOKEN = "discordTokenAbcDEF0123456789_-xyz";
const TELEGRAM_TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw";
const FEISHU_TOKEN = "feishuHookToken-5d3c1b2a";
const BASIC_AUTH = "hookuser:hookpassw0rd";
const URLS = {
  slack: `https://hooks.slack.com/services/T0AAAA/B0BBBB/${SLACK_TOKEN}`,
  wecom: `https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=${WECOM_KEY}`,
  discord: `https://discord.com/api/webhooks/112233445566/${DISCORD_TOKEN}`,
  telegram: `https://api.telegram.org/bot${TELEGRAM_TOKEN}/sendMessage?chat_id=-1001`,
  feishu: `https://open.feishu.cn/open-apis/bot/v2/hook/${FEISHU_TOKEN}`,
  basic: `https://${BASIC_AUTH}@hooks.example.com/notify`,
};

describe("audit payloads", () => {
  it("keep no secret, for every action the dashboard audits", async () => {
    const { OWNER, ADMIN, TRADER } = world.members;
    const secrets: string[] = [world.simulator.apiKey, world.simulator.apiSecret, SLACK_TOKEN, WECOM_KEY, DISCORD_TOKEN, TELEGRAM_TOKEN, FEISHU_TOKEN, BASIC_AUTH];
    const pasted = `rotated after ${URLS.slack} leaked`;

    // Exchange accounts: the keys are in the input.
    const account = await as(ADMIN).accounts.create({
      name: `Keys ${world.unique()}`,
      venue: "SIMULATOR",
      apiKey: world.simulator.apiKey,
      apiSecret: world.simulator.apiSecret,
      baseUrl: world.simulator.url,
    });
    await as(ADMIN).accounts.disable({ accountId: account.id, reason: pasted });
    await as(ADMIN).accounts.enable({ accountId: account.id });

    // Alert channels: chat webhook URLs carry their token; generic webhooks get a signing secret.
    const slack = await as(ADMIN).alerts.createChannel({ name: `slack ${world.unique()}`, type: "SLACK", config: { url: URLS.slack, format: "slack" } });
    const wecom = await as(ADMIN).alerts.createChannel({ name: `wecom ${world.unique()}`, type: "WECOM", config: { url: URLS.wecom, format: "wecom" } });
    const discord = await as(ADMIN).alerts.createChannel({ name: `discord ${world.unique()}`, type: "WEBHOOK", config: { url: URLS.discord, format: "json" } });
    secrets.push(discord.secret!);
    await as(ADMIN).alerts.createChannel({ name: `telegram ${world.unique()}`, type: "WEBHOOK", config: { url: URLS.telegram, format: "json" } });
    await as(ADMIN).alerts.updateChannel({ channelId: wecom.id, name: "wecom moved", enabled: true, type: "WECOM", config: { url: URLS.feishu, format: "feishu" } });
    await as(ADMIN).alerts.updateChannel({ channelId: discord.id, name: "basic auth", enabled: true, type: "WEBHOOK", config: { url: URLS.basic, format: "json" } });
    const rotated = await as(ADMIN).alerts.rotateSecret({ channelId: discord.id });
    secrets.push(rotated.secret);
    await as(ADMIN).alerts.sendTest({ channelId: slack.id });

    // Alert rules and an acknowledged alert.
    const rule = await as(ADMIN).alerts.createRule({
      name: "Two-sided", kind: "TWO_SIDED_BELOW", botId: null, threshold: 0.99, windowSeconds: 300, escalateAfterMinutes: 30, enabled: true, channelIds: [slack.id],
    });
    await as(ADMIN).alerts.updateRule({
      ruleId: rule.id,
      rule: { name: "Two-sided, wider", kind: "TWO_SIDED_BELOW", botId: null, threshold: 0.98, windowSeconds: 600, escalateAfterMinutes: 30, enabled: true, channelIds: [slack.id, wecom.id] },
    });
    const bot = await world.createBot();
    const event = await database.prisma.alertEvent.create({
      data: { teamId: world.teamId, ruleId: rule.id, botId: bot.id, dedupeKey: `${rule.id}:${bot.id}`, openDedupeKey: `${rule.id}:${bot.id}`, message: "two-sided below" },
    });
    await as(TRADER).alerts.acknowledge({ eventId: event.id });
    await as(ADMIN).alerts.deleteRule({ ruleId: rule.id });
    await as(ADMIN).alerts.deleteChannel({ channelId: slack.id });

    // Bot operations, with a URL pasted into the reason.
    await as(TRADER).bots.start({ botId: bot.id, reason: pasted });
    await as(TRADER).bots.pause({ botId: bot.id, reason: pasted });
    await as(TRADER).bots.emergencyStop({ botId: bot.id, reason: pasted });

    // Change requests: proposed, approved, rejected, cancelled, with URLs in reasons and comments.
    const propose = async () =>
      as(TRADER).changes.proposeConfig({ botId: (await world.createBot()).id, baseVersion: null, config: { ordersPerSide: 2 }, reason: pasted });
    await as(ADMIN).changes.approve({ id: (await propose()).id, comment: pasted });
    await as(ADMIN).changes.reject({ id: (await propose()).id, comment: pasted });
    await as(TRADER).changes.cancel({ id: (await propose()).id });

    // Members and invitations: the link's token and the joiner's password.
    const member = await world.createMember("VIEWER");
    const membership = await database.prisma.membership.findFirstOrThrow({ where: { userId: member.id, teamId: world.teamId } });
    await as(OWNER).members.changeRole({ membershipId: membership.id, role: "TRADER" });
    await as(OWNER).members.remove({ membershipId: membership.id });
    const invitation = await as(OWNER).invitations.create({ email: `joiner-${world.unique()}@audit.example`, role: "VIEWER" });
    const token = invitation.path!.split("/").at(-1)!;
    const password = `joiner-password-${world.unique()}`;
    secrets.push(token, password);
    await as(null).invitations.accept({ token, name: "Joiner", password });
    const revoked = await as(ADMIN).invitations.create({ email: `other-${world.unique()}@audit.example`, role: "VIEWER" });
    // An admin is shown no link: an owner takes it over.
    const link = await as(OWNER).invitations.issueLink({ invitationId: revoked.id });
    secrets.push(link.path.split("/").at(-1)!);
    await as(ADMIN).invitations.revoke({ invitationId: revoked.id });

    // One's own account: a wrong password (audited, never stored), two-factor sign-in on and off (its secret, its
    // recovery codes), every session ended. The team's rules, and a risky change's first approval.
    const wrongPassword = `wrong-password-${world.unique()}`;
    secrets.push(wrongPassword);
    expect(await authenticate(database.prisma, { email: TRADER.email, password: wrongPassword }, { address: "198.51.100.7", userAgent: null })).toBeNull();
    const session = await authenticate(database.prisma, { email: TRADER.email, password: MATRIX_PASSWORD });
    if (!session) throw new Error("the trader could not sign in");
    const { secret } = await as(session).profile.twoFactor.begin({ password: MATRIX_PASSWORD });
    const { recoveryCodes } = await as(session).profile.twoFactor.confirm({ code: await generate({ secret }) });
    secrets.push(secret, ...recoveryCodes);
    await as(session).profile.twoFactor.disable({ password: MATRIX_PASSWORD, code: recoveryCodes[0] ?? "" });
    await as(session).profile.signOutEverywhere();
    await as(OWNER).teams.updateSecurity({ approvalCoolingOffHours: 24, requireTwoFactor: false, riskyMinNotional: null, riskyMaxSpread: null, riskyOrdersPerSide: 1 });
    expect((await as(ADMIN).changes.approve({ id: (await propose()).id, comment: pasted })).firstApproval).not.toBeNull();

    // A new team's founding is audited in the new team.
    const founded = await as(OWNER).teams.create({ name: "Spin-off desk" });
    const rows = await database.prisma.auditLog.findMany({ where: { teamId: { in: [world.teamId, founded.id] } } });
    expect([...new Set(rows.map((row) => row.action))].sort()).toEqual([...AUDIT_ACTIONS].sort());
    const written = JSON.stringify(rows.map((row) => row.payload));
    for (const secret of secrets) expect(written, `a payload holds ${secret}`).not.toContain(secret);
    // What stays is enough to read the log: the chat tool's origin, and the rest marked as cut.
    expect(written).toContain("https://hooks.slack.com/…");
    expect(written).toContain("https://qyapi.weixin.qq.com/…");
    expect(written).toContain("rotated after https://hooks.slack.com/… leaked");
    const shown = JSON.stringify(await as(world.members.VIEWER).audit.list({ limit: 100 }));
    for (const secret of secrets) expect(shown).not.toContain(secret);
  });

  it("redacts an entry written before redaction existed when the log is read", async () => {
    await database.prisma.auditLog.create({
      data: {
        teamId: world.teamId,
        actorId: world.members.ADMIN.id,
        action: "alert_channel.create",
        entityType: "AlertChannel",
        payload: { name: "old", config: { url: URLS.slack, format: "slack" }, apiSecret: "legacy-secret-value" },
      },
    });
    const shown = JSON.stringify(await as(world.members.VIEWER).audit.list({ action: "alert_channel.create", limit: 100 }));
    expect(shown).not.toContain(SLACK_TOKEN);
    expect(shown).not.toContain("legacy-secret-value");
  });
});

describe("redactSecrets", () => {
  it.each([
    [{ apiSecret: "s", password: "p", currentPassword: "c", token: "t", signingSecret: "x", keyFingerprint: "ab12…" }, { apiSecret: "[redacted]", password: "[redacted]", currentPassword: "[redacted]", token: "[redacted]", signingSecret: "[redacted]", keyFingerprint: "ab12…" }],
    [{ config: { url: URLS.telegram } }, { config: { url: "https://api.telegram.org/…" } }],
    [{ url: URLS.basic }, { url: "https://hooks.example.com/…" }],
    [{ baseUrl: "http://127.0.0.1:8765" }, { baseUrl: "http://127.0.0.1:8765" }],
    [{ list: [URLS.discord, 3, null, true] }, { list: ["https://discord.com/…", 3, null, true] }],
  ])("%j -> %j", (input, expected) => {
    expect(redactSecrets(input)).toEqual(expected);
  });
});
