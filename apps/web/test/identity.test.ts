// Members, invitations, one's password and team switching, through the procedures the dashboard calls.
import { createHash } from "node:crypto";
import type { TestDatabase } from "@bandkeeper/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { authenticate, switchableTeamId } from "../src/server/auth";
import { AppError } from "../src/server/errors";
import { createCaller } from "../src/server/routers";
import type { SessionUser } from "../src/server/trpc";
import { MATRIX_PASSWORD, type MatrixWorld, type Role, openMatrixWorld } from "./permissions/harness";
import { fieldIssues, rejection } from "./support/rejection";

let database: TestDatabase;
let world: MatrixWorld;

beforeAll(async () => {
  ({ database, world } = await openMatrixWorld("bk_web_identity"));
});

afterAll(async () => {
  await world?.close();
  await database?.drop();
});

const as = (user: SessionUser | null) => createCaller({ db: database.prisma, user });
const asRole = (role: Role) => as(world.members[role]);

async function failure(call: Promise<unknown>) {
  const error = await rejection(call);
  return {
    code: error instanceof AppError ? error.appCode : error.code,
    message: error.message,
    fields: fieldIssues(error).map((issue) => issue.path),
  };
}

async function membershipOf(user: SessionUser) {
  return database.prisma.membership.findUniqueOrThrow({
    where: { userId_teamId: { userId: user.id, teamId: world.teamId } },
  });
}

// A team of its own with two owners, so the owner rules can be exercised without touching the shared team.
async function teamWithOwners(count: number) {
  const team = await database.prisma.team.create({ data: { name: "Owners", slug: `owners-${world.unique()}` } });
  const owners: SessionUser[] = [];
  for (let index = 0; index < count; index++) {
    const user = await database.prisma.user.create({
      data: { email: `owner-${world.unique()}@owners.example`, name: `Owner ${index}`, passwordHash: "unused" },
    });
    await database.prisma.membership.create({ data: { userId: user.id, teamId: team.id, role: "OWNER" } });
    owners.push({ id: user.id, email: user.email, name: user.name, teamId: team.id });
  }
  const memberships = await database.prisma.membership.findMany({ where: { teamId: team.id }, orderBy: { createdAt: "asc" } });
  return { team, owners, memberships };
}

describe("members", () => {
  it("lists the team's members with roles, and marks the caller", async () => {
    const members = await asRole("VIEWER").members.list();
    const viewer = members.find((member) => member.isYou);
    expect(viewer).toMatchObject({ email: world.members.VIEWER.email, role: "VIEWER" });
    expect(members.map((member) => member.role).slice(0, 2)).toEqual(["OWNER", "ADMIN"]);
  });

  it("lets the owner change a role, with an audit entry naming from and to", async () => {
    const trader = await world.createMember("TRADER");
    const membership = await membershipOf(trader);
    await asRole("OWNER").members.changeRole({ membershipId: membership.id, role: "ADMIN" });
    expect((await membershipOf(trader)).role).toBe("ADMIN");
    const entry = await database.prisma.auditLog.findFirstOrThrow({ where: { entityId: membership.id } });
    expect(entry).toMatchObject({ action: "member.change_role", actorId: world.members.OWNER.id });
    expect(entry.payload).toEqual({ email: trader.email, from: "TRADER", to: "ADMIN" });
  });

  it("never leaves a team without an owner, even when two owners demote each other at once", async () => {
    const { owners, memberships } = await teamWithOwners(2);
    const [first, second] = owners as [SessionUser, SessionUser];
    const [firstMembershipId, secondMembershipId] = memberships.map((membership) => membership.id) as [string, string];
    const results = await Promise.allSettled([
      as(first).members.changeRole({ membershipId: secondMembershipId, role: "VIEWER" }),
      as(second).members.changeRole({ membershipId: firstMembershipId, role: "VIEWER" }),
    ]);
    expect(results.map((result) => result.status).sort()).toEqual(["fulfilled", "rejected"]);
    const remaining = await database.prisma.membership.count({ where: { teamId: first.teamId!, role: "OWNER" } });
    expect(remaining).toBe(1);
  });

  it("refuses to demote or remove the last owner, naming the field", async () => {
    const { owners, memberships } = await teamWithOwners(1);
    const owner = owners[0]!;
    const membershipId = memberships[0]!.id;
    const demote = await failure(as(owner).members.changeRole({ membershipId, role: "ADMIN" }));
    expect(demote).toMatchObject({ code: "BAD_REQUEST", fields: ["role"] });
    expect(demote.message).toMatch(/at least one owner/);
    const remove = await failure(as(owner).members.remove({ membershipId }));
    expect(remove.fields).toEqual(["membershipId"]);
    expect(await database.prisma.membership.count({ where: { id: membershipId, role: "OWNER" } })).toBe(1);
  });

  it("removes a member, who then can no longer act in the team", async () => {
    const trader = await world.createMember("TRADER");
    await asRole("OWNER").members.remove({ membershipId: (await membershipOf(trader)).id });
    expect((await failure(as(trader).bots.list())).code).toBe("NOT_TEAM_MEMBER");
  });

  it("does not find a membership of another team", async () => {
    const { memberships } = await teamWithOwners(1);
    const result = await failure(asRole("OWNER").members.remove({ membershipId: memberships[0]!.id }));
    expect(result.code).toBe("NOT_FOUND");
  });
});

describe("invitations", () => {
  // Only an owner is shown a link (no SMTP in these tests); an admin's invitation reaches the invitee through one.
  const tokenOf = (path: string | null) => {
    if (path === null) throw new Error("no link was shown");
    return path.split("/").at(-1)!;
  };

  it("stores only the token's hash and lets the invitee set a name and password, then sign in", async () => {
    const email = `new-${world.unique()}@invited.example`;
    const invitation = await asRole("OWNER").invitations.create({ email: email.toUpperCase(), role: "TRADER" });
    const token = tokenOf(invitation.path);
    const row = await database.prisma.invitation.findUniqueOrThrow({ where: { id: invitation.id } });
    expect(row.tokenHash).toBe(createHash("sha256").update(token).digest("hex"));
    expect(JSON.stringify(row)).not.toContain(token);
    expect(row.expiresAt.getTime() - row.createdAt.getTime()).toBe(7 * 24 * 60 * 60 * 1000);

    const preview = await as(null).invitations.preview({ token });
    expect(preview).toMatchObject({ teamName: "Matrix Desk", email, role: "TRADER", hasAccount: false });

    const refused = await failure(as(null).invitations.accept({ token, name: "Nina New", password: "short" }));
    expect(refused.fields).toEqual(["password"]);
    const nameless = await failure(as(null).invitations.accept({ token, password: "long-enough-password" }));
    expect(nameless.fields).toEqual(["name"]);

    await as(null).invitations.accept({ token, name: "Nina New", password: "long-enough-password" });
    const user = await authenticate(database.prisma, { email, password: "long-enough-password" });
    expect(user).toMatchObject({ name: "Nina New", teamId: world.teamId });
    expect(await asRole("OWNER").members.list()).toContainEqual(expect.objectContaining({ email, role: "TRADER" }));
    const accepted = await database.prisma.auditLog.findFirstOrThrow({ where: { action: "invitation.accept", actorId: user!.id } });
    expect(accepted.teamId).toBe(world.teamId);

    const again = await failure(as(null).invitations.accept({ token, name: "Nina", password: "long-enough-password" }));
    expect(again).toMatchObject({ code: "NOT_FOUND", message: expect.stringMatching(/already been used/) as unknown });
  });

  it("adds an existing user to a second team after checking their password; they can switch to it", async () => {
    const { owners } = await teamWithOwners(1);
    const owner = owners[0]!;
    const viewer = world.members.VIEWER;
    const invitation = await as(owner).invitations.create({ email: viewer.email, role: "ADMIN" });
    const token = tokenOf(invitation.path);
    expect((await as(null).invitations.preview({ token })).hasAccount).toBe(true);
    const wrong = await failure(as(null).invitations.accept({ token, password: "not-my-password" }));
    expect(wrong.fields).toEqual(["password"]);
    await as(null).invitations.accept({ token, password: MATRIX_PASSWORD });

    const teams = await as(viewer).teams.mine();
    expect(teams).toEqual([
      { id: world.teamId, name: "Matrix Desk", role: "VIEWER", current: true },
      { id: owner.teamId, name: "Owners", role: "ADMIN", current: false },
    ]);
    expect(await switchableTeamId(database.prisma, viewer.id, { teamId: owner.teamId })).toBe(owner.teamId);
    expect(await switchableTeamId(database.prisma, world.members.TRADER.id, { teamId: owner.teamId })).toBeNull();
    expect(await switchableTeamId(database.prisma, viewer.id, { teamId: 42 })).toBeNull();
    expect((await as({ ...viewer, teamId: owner.teamId }).teams.current()).role).toBe("ADMIN");
  });

  it("lets only an owner invite an owner, and refuses an email already in the team", async () => {
    const denied = await failure(asRole("ADMIN").invitations.create({ email: "boss@invited.example", role: "OWNER" }));
    expect(denied.code).toBe("PERMISSION_DENIED");
    await asRole("OWNER").invitations.create({ email: `boss-${world.unique()}@invited.example`, role: "OWNER" });
    const member = await failure(asRole("OWNER").invitations.create({ email: world.members.TRADER.email, role: "VIEWER" }));
    expect(member.fields).toEqual(["email"]);
    const malformed = await failure(asRole("OWNER").invitations.create({ email: "not an email", role: "VIEWER" }));
    expect(malformed.fields).toEqual(["email"]);
  });

  it("replaces an earlier pending link of the same email, and a revoked or expired link is refused", async () => {
    const email = `twice-${world.unique()}@invited.example`;
    const first = await asRole("OWNER").invitations.create({ email, role: "VIEWER" });
    const second = await asRole("OWNER").invitations.create({ email, role: "TRADER" });
    expect((await failure(as(null).invitations.preview({ token: tokenOf(first.path) }))).message).toMatch(/withdrawn/);
    await asRole("ADMIN").invitations.revoke({ invitationId: second.id });
    expect((await failure(as(null).invitations.preview({ token: tokenOf(second.path) }))).message).toMatch(/withdrawn/);

    const third = await asRole("OWNER").invitations.create({ email, role: "TRADER" });
    await database.prisma.invitation.update({ where: { id: third.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const expired = await failure(as(null).invitations.accept({ token: tokenOf(third.path), name: "Late", password: "long-enough-password" }));
    expect(expired.message).toMatch(/expired/);
    expect(await database.prisma.user.count({ where: { email } })).toBe(0);

    const listed = await asRole("ADMIN").invitations.list();
    expect(listed.filter((entry) => entry.email === email).map((entry) => entry.status)).toEqual(["EXPIRED", "REVOKED", "REVOKED"]);
    expect((await failure(as(null).invitations.preview({ token: "made-up" }))).code).toBe("NOT_FOUND");
  });
});

describe("profile.changePassword", () => {
  it("names the field of each problem", async () => {
    const user = await world.createMember("VIEWER");
    const wrong = await failure(
      as(user).profile.changePassword({ currentPassword: "nope", newPassword: "a-new-password", confirmPassword: "a-new-password" }),
    );
    expect(wrong.fields).toEqual(["currentPassword"]);
    const short = await failure(
      as(user).profile.changePassword({ currentPassword: MATRIX_PASSWORD, newPassword: "short", confirmPassword: "short" }),
    );
    expect(short.fields).toEqual(["newPassword"]);
    const mismatch = await failure(
      as(user).profile.changePassword({ currentPassword: MATRIX_PASSWORD, newPassword: "a-new-password", confirmPassword: "a-new-passwort" }),
    );
    expect(mismatch.fields).toEqual(["confirmPassword"]);
  });

  it("changes the password: the new one signs in, the old one no longer does", async () => {
    const user = await world.createMember("TRADER");
    await as(user).profile.changePassword({
      currentPassword: MATRIX_PASSWORD,
      newPassword: "a-brand-new-password",
      confirmPassword: "a-brand-new-password",
    });
    expect(await authenticate(database.prisma, { email: user.email, password: "a-brand-new-password" })).not.toBeNull();
    expect(await authenticate(database.prisma, { email: user.email, password: MATRIX_PASSWORD })).toBeNull();
  });
});
