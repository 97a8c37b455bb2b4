// Founding a team and its default alert channel, through the real router against a real database.
import { DEFAULT_ALERT_RULES } from "@bandkeeper/core/alerts";
import { type TestDatabase, createTestDatabase } from "@bandkeeper/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCaller } from "../src/server/routers";
import type { SessionUser } from "../src/server/trpc";
import { rejection } from "./support/rejection";
import { testServerUrl } from "@bandkeeper/testkit";

let database: TestDatabase;
let founder: SessionUser;

const as = (user: SessionUser) => createCaller({ db: database.prisma, user });

beforeAll(async () => {
  database = await createTestDatabase(testServerUrl, "bk_web_teams_create");
  const user = await database.prisma.user.create({ data: { email: "founder@example.com", name: "Fay Founder", passwordHash: "unused" } });
  founder = { id: user.id, email: user.email, name: user.name, teamId: null };
});

afterAll(async () => {
  await database?.drop();
});

/** The founder with the session switched to the team (what the dashboard does after creating it). */
const inTeam = (teamId: string): SessionUser => ({ ...founder, teamId });

describe("teams.create", () => {
  it("a user without a team founds one: they are its OWNER, it has the default rules and the audit entry", async () => {
    const team = await as(founder).teams.create({ name: "  Night Desk  " });
    expect(team.name).toBe("Night Desk");
    const membership = await database.prisma.membership.findUniqueOrThrow({ where: { userId_teamId: { userId: founder.id, teamId: team.id } } });
    expect(membership.role).toBe("OWNER");
    const rules = await as(inTeam(team.id)).alerts.rules();
    expect(rules.map((rule) => rule.name).sort()).toEqual(DEFAULT_ALERT_RULES.map((rule) => rule.name).sort());
    const audit = await database.prisma.auditLog.findMany({ where: { teamId: team.id } });
    expect(audit.map((entry) => [entry.action, entry.actorId])).toEqual([["team.create", founder.id]]);
    expect((await as(founder).teams.mine()).map((mine) => mine.name)).toContain("Night Desk");
  });

  it("two teams may share a name; each gets its own slug", async () => {
    const first = await as(founder).teams.create({ name: "Twin" });
    const second = await as(founder).teams.create({ name: "Twin" });
    const slugs = await database.prisma.team.findMany({ where: { id: { in: [first.id, second.id] } }, select: { slug: true } });
    expect(new Set(slugs.map((team) => team.slug)).size).toBe(2);
    expect(slugs.every((team) => team.slug.startsWith("twin-"))).toBe(true);
  });

  it("refuses a blank or over-long name, naming the field", async () => {
    const blank = await rejection(as(founder).teams.create({ name: "  " }));
    expect(blank.code).toBe("BAD_REQUEST");
    expect(blank.message).toContain("at least 2 characters");
    const long = await rejection(as(founder).teams.create({ name: "x".repeat(61) }));
    expect(long.message).toContain("At most 60 characters");
  });
});

describe("the team's default alert channel", () => {
  it("the first channel becomes the default and joins the default rules; new rules without channels use it", async () => {
    const team = await as(founder).teams.create({ name: "Channel Desk" });
    const owner = as(inTeam(team.id));
    expect((await owner.alerts.rules()).every((rule) => rule.channels.length === 0)).toBe(true);

    const mail = await owner.alerts.createChannel({ name: "Desk mail", type: "EMAIL", config: { recipients: ["desk@example.com"] } });
    expect(mail.isDefault).toBe(true);
    const rules = await owner.alerts.rules();
    expect(rules.every((rule) => rule.channels.map((channel) => channel.id).includes(mail.id))).toBe(true);

    // A second channel is not the default and joins no rule by itself.
    const hook = await owner.alerts.createChannel({ name: "Pager", type: "EMAIL", config: { recipients: ["pager@example.com"] } });
    expect(hook.isDefault).toBe(false);
    expect((await owner.alerts.rules()).some((rule) => rule.channels.some((channel) => channel.id === hook.id))).toBe(false);

    const rule = { name: "Faulted bots", kind: "BOT_FAULTED", botId: null, threshold: null, windowSeconds: null, escalateAfterMinutes: null, enabled: true } as const;
    const withoutChannels = await owner.alerts.createRule({ ...rule, channelIds: [] });
    const named = await owner.alerts.createRule({ ...rule, name: "Faulted, pager", channelIds: [hook.id] });
    const byId = new Map((await owner.alerts.rules()).map((r) => [r.id, r.channels.map((channel) => channel.id)]));
    expect(byId.get(withoutChannels.id)).toEqual([mail.id]);
    expect(byId.get(named.id)).toEqual([hook.id]);

    // Another default: the next rule without channels goes there, with the change in the audit log.
    await expect(owner.alerts.setDefaultChannel({ channelId: hook.id })).resolves.toEqual({ id: hook.id, changed: true });
    const channels = await owner.alerts.channels();
    expect(channels.filter((channel) => channel.isDefault).map((channel) => channel.id)).toEqual([hook.id]);
    const next = await owner.alerts.createRule({ ...rule, name: "Faulted, later", channelIds: [] });
    expect((await owner.alerts.rules()).find((r) => r.id === next.id)?.channels.map((channel) => channel.id)).toEqual([hook.id]);
    expect(await database.prisma.auditLog.count({ where: { teamId: team.id, action: "alert_channel.update", entityId: hook.id } })).toBe(1);

    // Deleting the default hands it to the oldest channel left.
    await owner.alerts.deleteChannel({ channelId: hook.id });
    expect((await owner.alerts.channels()).map((channel) => [channel.id, channel.isDefault])).toEqual([[mail.id, true]]);
  });

  it("another team's channel cannot be made the default", async () => {
    const mine = await as(founder).teams.create({ name: "Mine" });
    const theirs = await as(founder).teams.create({ name: "Theirs" });
    const channel = await as(inTeam(theirs.id)).alerts.createChannel({ name: "Theirs mail", type: "EMAIL", config: { recipients: ["t@example.com"] } });
    const error = await rejection(as(inTeam(mine.id)).alerts.setDefaultChannel({ channelId: channel.id }));
    expect(error.code).toBe("NOT_FOUND");
  });
});
