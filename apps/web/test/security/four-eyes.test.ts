// Issue 12, finding 2: one person passed four-eyes. An ADMIN invited a second address of their own as ADMIN (the
// link came back in the response), accepted it and approved their own proposal from the second account. Now an
// admin is shown no link, a member who joined by invitation approves nothing during the team's cooling-off period,
// inviter and invitee cannot approve each other's changes within it, owners hear of every new member and role
// change through the team's channels, and a risky change needs an owner or two approvals. Each refusal says why.
import type { TestDatabase } from "@bandkeeper/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "../../src/server/errors";
import { createCaller } from "../../src/server/routers";
import type { SessionUser } from "../../src/server/trpc";
import { MATRIX_PASSWORD, type MatrixWorld, openMatrixWorld } from "../permissions/harness";
import { fieldIssues, rejection } from "../support/rejection";

let database: TestDatabase;
let world: MatrixWorld;

beforeAll(async () => {
  ({ database, world } = await openMatrixWorld("bk_web_four_eyes"));
  await database.prisma.alertChannel.create({
    data: { teamId: world.teamId, name: "owners' mail", type: "EMAIL", config: { recipients: ["owners@matrix.example"] } },
  });
});

afterAll(async () => {
  await world?.close();
  await database?.drop();
});

const as = (user: SessionUser | null) => createCaller({ db: database.prisma, user });
const HOUR = 60 * 60 * 1000;

async function refusal(call: Promise<unknown>) {
  const error = await rejection(call);
  return { code: error instanceof AppError ? error.appCode : error.code, message: error.message };
}

async function propose(by: SessionUser, config: Record<string, unknown> = { ordersPerSide: 2 }) {
  const bot = await world.createBot();
  return as(by).changes.proposeConfig({ botId: bot.id, baseVersion: null, config, reason: "four-eyes test" });
}

// The sockpuppet path: an admin invites a second address of theirs as ADMIN and gets it accepted.
async function inviteAndJoin(inviter: SessionUser, role: "ADMIN" | "TRADER") {
  const email = `alias-${world.unique()}@matrix.example`;
  const created = await as(inviter).invitations.create({ email, role });
  // No SMTP here: the owner is shown the link (an admin is not) and passes it on.
  const link = created.path ?? (await as(world.members.OWNER).invitations.issueLink({ invitationId: created.id })).path;
  const token = link.split("/").at(-1) ?? "";
  await as(null).invitations.accept({ token, email, name: `Alias ${role}`, password: MATRIX_PASSWORD });
  const user = await database.prisma.user.findUniqueOrThrow({ where: { email } });
  const membership = await database.prisma.membership.findUniqueOrThrow({ where: { userId_teamId: { userId: user.id, teamId: world.teamId } } });
  return { user: { id: user.id, email, name: user.name, teamId: world.teamId } satisfies SessionUser, membership };
}

async function joinedHoursAgo(membershipId: string, hours: number) {
  await database.prisma.membership.update({ where: { id: membershipId }, data: { createdAt: new Date(Date.now() - hours * HOUR) } });
}

describe("invitations", () => {
  it("shows an admin no link: the invitation waits for an owner, who gets it", async () => {
    const created = await as(world.members.ADMIN).invitations.create({ email: `nolink-${world.unique()}@matrix.example`, role: "ADMIN" });
    expect(created).toMatchObject({ delivery: "OWNER", path: null });
    expect((await refusal(as(world.members.ADMIN).invitations.issueLink({ invitationId: created.id }))).code).toBe("PERMISSION_DENIED");
    const issued = await as(world.members.OWNER).invitations.issueLink({ invitationId: created.id });
    expect(issued.path).toMatch(/^\/invite\/[A-Za-z0-9_-]{43}$/);
    const owners = await as(world.members.OWNER).invitations.create({ email: `link-${world.unique()}@matrix.example`, role: "TRADER" });
    expect(owners.delivery).toBe("LINK");
    expect(owners.path).toMatch(/^\/invite\//);
  });

  it("is bound to the invited address: accepting as another is refused with the reason", async () => {
    const email = `bound-${world.unique()}@matrix.example`;
    const created = await as(world.members.OWNER).invitations.create({ email, role: "TRADER" });
    const token = created.path?.split("/").at(-1) ?? "";
    const error = await rejection(as(null).invitations.accept({ token, email: "someone-else@matrix.example", name: "Mallory", password: MATRIX_PASSWORD }));
    expect(fieldIssues(error)).toEqual([{ path: "email", message: `This invitation is for ${email}; it cannot be accepted as someone-else@matrix.example.` }]);
    expect(await database.prisma.user.count({ where: { email: "someone-else@matrix.example" } })).toBe(0);
    expect((await database.prisma.invitation.findUniqueOrThrow({ where: { id: created.id } })).acceptedAt).toBeNull();
  });
});

describe("the sockpuppet path", () => {
  it("refuses the invitee approving the inviter's proposal, naming the rule and the time it ends", async () => {
    const { user: alias } = await inviteAndJoin(world.members.ADMIN, "ADMIN");
    const request = await propose(world.members.ADMIN, { minNotional: "1000000000" });
    const refused = await refusal(as(alias).changes.approve({ id: request.id }));
    expect(refused.code).toBe("FOUR_EYES");
    expect(refused.message).toMatch(/^You joined this team by invitation on \d{4}-\d\d-\d\d \d\d:\d\d UTC: new members approve nothing for the first 24 hours \(until .* UTC\)\. Another member must approve\.$/);
    const row = await database.prisma.changeRequest.findUniqueOrThrow({ where: { id: request.id } });
    expect(row).toMatchObject({ status: "PENDING", reviewerId: null, firstApproverId: null });
    expect(await database.prisma.botConfigVersion.count({ where: { changeRequestId: request.id } })).toBe(0);
  });

  it("refuses the inviter approving the invitee's proposal within the invitee's cooling-off", async () => {
    const { user: alias, membership } = await inviteAndJoin(world.members.ADMIN, "ADMIN");
    const request = await propose(alias);
    const refused = await refusal(as(world.members.ADMIN).changes.approve({ id: request.id }));
    expect(refused.code).toBe("FOUR_EYES");
    expect(refused.message).toContain(`You invited ${alias.name}, who proposed this change`);
    expect(refused.message).toMatch(/you cannot approve their changes\. Another member must approve\.$/);
    // Another member may; and once the period is over, so may the inviter.
    await joinedHoursAgo(membership.id, 25);
    expect((await as(world.members.ADMIN).changes.approve({ id: request.id })).status).toBe("APPROVED");
  });

  it("refuses the invitee approving anyone's change while cooling off, then lets them", async () => {
    const { user: newcomer, membership } = await inviteAndJoin(world.members.OWNER, "ADMIN");
    const request = await propose(world.members.TRADER);
    expect((await refusal(as(newcomer).changes.approve({ id: request.id }))).message).toMatch(/joined this team by invitation/);
    await joinedHoursAgo(membership.id, 23);
    expect((await refusal(as(newcomer).changes.approve({ id: request.id }))).code).toBe("FOUR_EYES");
    await joinedHoursAgo(membership.id, 24.1);
    expect((await as(newcomer).changes.approve({ id: request.id })).status).toBe("APPROVED");
  });

  it("follows the team's own period: 0 turns the cooling-off off", async () => {
    const { user: newcomer } = await inviteAndJoin(world.members.OWNER, "ADMIN");
    const request = await propose(world.members.TRADER);
    await database.prisma.team.update({ where: { id: world.teamId }, data: { approvalCoolingOffHours: 0 } });
    try {
      expect((await as(newcomer).changes.approve({ id: request.id })).status).toBe("APPROVED");
    } finally {
      await database.prisma.team.update({ where: { id: world.teamId }, data: { approvalCoolingOffHours: 24 } });
    }
  });

  it("tells the team's channels of each new member and role change", async () => {
    const before = await database.prisma.alertDelivery.count({ where: { notice: "TEAM" } });
    const { user: alias, membership } = await inviteAndJoin(world.members.ADMIN, "TRADER");
    await as(world.members.OWNER).members.changeRole({ membershipId: membership.id, role: "ADMIN" });
    const notices = await database.prisma.alertDelivery.findMany({ where: { notice: "TEAM" }, orderBy: { createdAt: "asc" }, skip: before });
    expect(notices.map((notice) => notice.message)).toEqual([
      `${alias.name} (${alias.email}) joined Matrix Desk as TRADER, invited by ${world.members.ADMIN.name}.`,
      `${world.members.OWNER.name} changed the role of ${alias.name} (${alias.email}) in Matrix Desk from TRADER to ADMIN.`,
    ]);
    expect(notices.every((notice) => notice.status === "PENDING")).toBe(true);
  });
});

describe("risky changes", () => {
  beforeAll(async () => {
    await as(world.members.OWNER).teams.updateSecurity({
      approvalCoolingOffHours: 24,
      requireTwoFactor: false,
      riskyMinNotional: "50000",
      riskyMaxSpread: "0.01",
      riskyOrdersPerSide: 3,
    });
  });

  it("needs two approvals from non-owners: the first is recorded, the same person cannot give the second", async () => {
    const request = await propose(world.members.TRADER, { ordersPerSide: 5, minNotional: "60000" });
    // The request's page says so before anyone approves.
    expect((await as(world.members.ADMIN).changes.get({ id: request.id })).risks).toEqual([
      "minNotional 60000 is above the team's 50000",
      "ordersPerSide 5 is above the team's 3",
    ]);
    const first = await as(world.members.ADMIN).changes.approve({ id: request.id });
    expect(first.status).toBe("PENDING");
    expect(first.firstApproval?.by.id).toBe(world.members.ADMIN.id);
    const again = await refusal(as(world.members.ADMIN).changes.approve({ id: request.id }));
    expect(again).toEqual({ code: "FOUR_EYES", message: "You approved this change already: it needs a second approver, or an owner." });
    const entry = await database.prisma.auditLog.findFirstOrThrow({ where: { action: "change_request.approve_first", entityId: request.id } });
    expect(entry.payload).toMatchObject({ risks: ["minNotional 60000 is above the team's 50000", "ordersPerSide 5 is above the team's 3"] });
    const secondAdmin = await world.createMember("ADMIN");
    const second = await as(secondAdmin).changes.approve({ id: request.id });
    expect(second.status).toBe("APPROVED");
    expect(second.reviewer?.id).toBe(secondAdmin.id);
  });

  it("lets an owner's approval decide a risky change alone, and a change within the limits needs one approval", async () => {
    const risky = await propose(world.members.TRADER, { band: { minSpread: 0.002, maxSpread: 0.02 } });
    expect((await as(world.members.OWNER).changes.approve({ id: risky.id })).status).toBe("APPROVED");
    const plain = await propose(world.members.TRADER, { ordersPerSide: 2 });
    expect((await as(world.members.ADMIN).changes.get({ id: plain.id })).risks).toEqual([]);
    expect((await as(world.members.ADMIN).changes.approve({ id: plain.id })).status).toBe("APPROVED");
  });

  it("refuses thresholds out of bounds with field errors", async () => {
    const error = await rejection(
      as(world.members.OWNER).teams.updateSecurity({
        approvalCoolingOffHours: 1000,
        requireTwoFactor: false,
        riskyMinNotional: "１0000",
        riskyMaxSpread: "2",
        riskyOrdersPerSide: 0,
      }),
    );
    expect(fieldIssues(error).map((issue) => issue.path).sort()).toEqual(["approvalCoolingOffHours", "riskyMaxSpread", "riskyMinNotional", "riskyOrdersPerSide"]);
  });
});
