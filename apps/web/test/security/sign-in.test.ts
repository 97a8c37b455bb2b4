// Issue 12, findings 3 and 4: 40 sequential and 20 parallel wrong passwords all answered 401 and then the right one
// worked, invitations.accept checked passwords without a limit, and a session outlived a password change. Now every
// password check is throttled per account and per address in Postgres (growing delays, then a lock), each failure
// is in the audit log, sessions can be ended, and accounts may have a second factor (TOTP, recovery codes) that a
// team can require of the roles that approve or manage accounts.
import type { TestDatabase } from "@bandkeeper/db/testing";
import { generate } from "otplib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SignInRefusal, authenticate, liveSessionUser } from "../../src/server/auth";
import { AppError } from "../../src/server/errors";
import { forgetQuietKeys } from "../../src/server/sign-in/throttle";
import { createCaller } from "../../src/server/routers";
import type { SessionUser } from "../../src/server/trpc";
import { MATRIX_PASSWORD, type MatrixWorld, openMatrixWorld } from "../permissions/harness";
import { fieldIssues, rejection } from "../support/rejection";

let database: TestDatabase;
let world: MatrixWorld;

beforeAll(async () => {
  ({ database, world } = await openMatrixWorld("bk_web_sign_in"));
});

afterAll(async () => {
  await world?.close();
  await database?.drop();
});

const as = (user: SessionUser | null, address: string | null = null) => createCaller({ db: database.prisma, user, address });
const SECOND = 1000;
let addressCounter = 0;
// Each test signs in from an address of its own, so the per-address count of one test does not reach another.
const freshAddress = () => `203.0.113.${++addressCounter}`;

type Outcome = "signed-in" | "wrong" | `throttled: ${string}` | `${"TWO_FACTOR_REQUIRED" | "TWO_FACTOR_INVALID"}: ${string}`;

async function signIn(email: string, password: string, now: Date, address: string, code?: string): Promise<Outcome> {
  try {
    const user = await authenticate(database.prisma, { email, password, ...(code ? { code } : {}) }, { address, userAgent: "vitest" }, now);
    return user ? "signed-in" : "wrong";
  } catch (error) {
    if (!(error instanceof SignInRefusal)) throw error;
    return error.code === "THROTTLED" ? `throttled: ${error.reason}` : `${error.code}: ${error.reason}`;
  }
}

function sessionOf(user: SessionUser) {
  return { user: { id: user.id, email: user.email, name: user.name }, teamId: user.teamId, sessionId: user.sessionId ?? null };
}

async function signedIn(member: SessionUser, address = freshAddress()): Promise<SessionUser> {
  const user = await authenticate(database.prisma, { email: member.email, password: MATRIX_PASSWORD }, { address, userAgent: "vitest" });
  if (!user?.sessionId) throw new Error("sign-in failed");
  return user;
}

describe("password throttling", () => {
  it("throttles the 11th wrong password within a minute, even when it is the right one, and audits each failure", async () => {
    const member = await world.createMember("TRADER");
    const address = freshAddress();
    const start = new Date();
    // Five free failures, then waits of 1, 2, 4, 8 and 16 s: ten wrong passwords in 31 s.
    const offsets = [0, 0, 0, 0, 0, 1, 3, 7, 15, 15 + 16];
    const outcomes: Outcome[] = [];
    for (const offset of offsets.slice(0, 10)) outcomes.push(await signIn(member.email, "wrong-password", new Date(start.getTime() + offset * SECOND), address));
    expect(outcomes).toEqual(Array(10).fill("wrong"));
    const eleventh = await signIn(member.email, MATRIX_PASSWORD, new Date(start.getTime() + 40 * SECOND), address);
    expect(eleventh).toBe("throttled: Too many wrong passwords for this account: locked for now. Try again in 15 minutes.");

    const failures = await database.prisma.auditLog.findMany({ where: { teamId: world.teamId, action: "user.password_failed", entityId: member.id } });
    expect(failures).toHaveLength(10);
    expect(failures.every((entry) => entry.actorId === null)).toBe(true);
    expect(failures.map((entry) => (entry.payload as { locked: boolean }).locked).filter(Boolean)).toHaveLength(1);
    expect(failures[0]?.payload).toMatchObject({ email: member.email, check: "sign-in", address });

    // The lock ends after 15 minutes, and the right password then works.
    expect(await signIn(member.email, MATRIX_PASSWORD, new Date(start.getTime() + 16 * 60 * SECOND), address)).toBe("signed-in");
  });

  it("makes each try past the fifth wait twice as long, whatever the password", async () => {
    const member = await world.createMember("TRADER");
    const address = freshAddress();
    const now = new Date();
    for (let i = 0; i < 5; i++) expect(await signIn(member.email, "wrong-password", now, address)).toBe("wrong");
    expect(await signIn(member.email, MATRIX_PASSWORD, now, address)).toBe("throttled: Too many wrong passwords for this account. Wait 1 second before the next try.");
    expect(await signIn(member.email, "wrong-password", new Date(now.getTime() + SECOND), address)).toBe("wrong");
    expect(await signIn(member.email, MATRIX_PASSWORD, new Date(now.getTime() + 2 * SECOND), address)).toMatch(/^throttled: .*Wait 1 second/);
    expect(await signIn(member.email, MATRIX_PASSWORD, new Date(now.getTime() + 3 * SECOND), address)).toBe("signed-in");
  });

  it("lets only the free tries of 20 parallel wrong passwords reach the password check", async () => {
    const member = await world.createMember("TRADER");
    const address = freshAddress();
    const now = new Date();
    const outcomes = await Promise.all(Array.from({ length: 20 }, () => signIn(member.email, "wrong-password", now, address)));
    expect(outcomes.filter((outcome) => outcome === "wrong")).toHaveLength(5);
    expect(outcomes.filter((outcome) => outcome.startsWith("throttled"))).toHaveLength(15);
  });

  it("throttles an address that tries many accounts", async () => {
    const address = freshAddress();
    const now = new Date();
    for (let i = 0; i < 20; i++) expect(await signIn(`nobody-${i}-${world.unique()}@matrix.example`, "guess", now, address)).toBe("wrong");
    const member = await world.createMember("VIEWER");
    expect(await signIn(member.email, MATRIX_PASSWORD, now, address)).toBe("throttled: Too many wrong passwords for your network address. Wait 1 second before the next try.");
    expect(await signIn(member.email, MATRIX_PASSWORD, now, freshAddress())).toBe("signed-in");
  });

  it("forgets keys quiet for a day, but not a lock still running", async () => {
    const now = new Date();
    const old = new Date(now.getTime() - 25 * 60 * 60 * SECOND);
    await database.prisma.authThrottle.createMany({
      data: [
        { key: "account:quiet@matrix.example", failures: 3, firstFailureAt: old, lastFailureAt: old },
        { key: "account:locked@matrix.example", failures: 10, firstFailureAt: old, lastFailureAt: old, lockedUntil: new Date(now.getTime() + 60 * SECOND) },
      ],
    });
    expect(await forgetQuietKeys(database.prisma, now)).toBeGreaterThanOrEqual(1);
    const left = await database.prisma.authThrottle.findMany({ where: { key: { in: ["account:quiet@matrix.example", "account:locked@matrix.example"] } } });
    expect(left.map((row) => row.key)).toEqual(["account:locked@matrix.example"]);
  });

  it("applies the same count to accepting an invitation and to changing one's password", async () => {
    const member = await world.createMember("VIEWER");
    const address = freshAddress();
    const now = new Date();
    for (let i = 0; i < 5; i++) expect(await signIn(member.email, "wrong-password", now, address)).toBe("wrong");

    const change = await rejection(
      as(member, address).profile.changePassword({ currentPassword: MATRIX_PASSWORD, newPassword: "a-new-password-1", confirmPassword: "a-new-password-1" }),
    );
    expect(change instanceof AppError && change.appCode).toBe("THROTTLED");
    expect(change.message).toMatch(/^Too many wrong passwords for this account\. Wait \d+ seconds? before the next try\.$/);

    const otherTeam = await database.prisma.team.create({ data: { name: "Second desk", slug: `second-${world.unique()}` } });
    const owner = await world.createMember("OWNER");
    await database.prisma.membership.create({ data: { userId: owner.id, teamId: otherTeam.id, role: "OWNER" } });
    const created = await as({ ...owner, teamId: otherTeam.id }).invitations.create({ email: member.email, role: "VIEWER" });
    const token = created.path?.split("/").at(-1) ?? "";
    const accept = await rejection(as(null, address).invitations.accept({ token, password: MATRIX_PASSWORD }));
    expect(accept instanceof AppError && accept.appCode).toBe("THROTTLED");
    expect(await database.prisma.membership.count({ where: { userId: member.id, teamId: otherTeam.id } })).toBe(0);
  });
});

describe("sessions", () => {
  it("refuses an old session after a password change, and keeps the browser that changed it", async () => {
    const member = await world.createMember("TRADER");
    const laptop = await signedIn(member);
    const phone = await signedIn(member);
    expect(await liveSessionUser(database.prisma, sessionOf(laptop))).toMatchObject({ id: member.id });

    await as(phone).profile.changePassword({ currentPassword: MATRIX_PASSWORD, newPassword: "a-new-password-1", confirmPassword: "a-new-password-1" });
    expect(await liveSessionUser(database.prisma, sessionOf(laptop))).toBeNull();
    expect(await liveSessionUser(database.prisma, sessionOf(phone))).toMatchObject({ id: member.id, sessionId: phone.sessionId });
    // A JWT from before sessions existed names none: refused too.
    expect(await liveSessionUser(database.prisma, { ...sessionOf(phone), sessionId: null })).toBeNull();
  });

  it("lists the live sessions, this one first, and ends one or all of them", async () => {
    const member = await world.createMember("TRADER");
    const first = await signedIn(member);
    const second = await signedIn(member);
    const third = await signedIn(member);
    const listed = await as(second).profile.sessions();
    expect(listed[0]).toMatchObject({ id: second.sessionId, current: true, userAgent: "vitest" });
    expect(listed.map((session) => session.id).sort()).toEqual([first.sessionId, second.sessionId, third.sessionId].sort());

    await as(second).profile.endSession({ sessionId: first.sessionId ?? "" });
    expect(await liveSessionUser(database.prisma, sessionOf(first))).toBeNull();
    const other = await world.createMember("TRADER");
    expect((await rejection(as(other).profile.endSession({ sessionId: third.sessionId ?? "" }))).code).toBe("NOT_FOUND");

    await as(second).profile.signOutEverywhere();
    expect(await liveSessionUser(database.prisma, sessionOf(second))).toBeNull();
    expect(await liveSessionUser(database.prisma, sessionOf(third))).toBeNull();
    expect(await as(await signedIn(member)).profile.sessions()).toHaveLength(1);
  });

  it("ends every session of a member removed from their last team", async () => {
    const member = await world.createMember("VIEWER");
    const session = await signedIn(member);
    const membership = await database.prisma.membership.findFirstOrThrow({ where: { userId: member.id } });
    await as(world.members.OWNER).members.remove({ membershipId: membership.id });
    expect(await liveSessionUser(database.prisma, sessionOf(session))).toBeNull();
  });

  it("refuses an expired session", async () => {
    const member = await world.createMember("VIEWER");
    const session = await signedIn(member);
    expect(await liveSessionUser(database.prisma, sessionOf(session), new Date(Date.now() + 13 * 60 * 60 * SECOND))).toBeNull();
  });
});

describe("two-factor sign-in", () => {
  async function enrol(member: SessionUser) {
    const session = await signedIn(member);
    const { secret, uri } = await as(session).profile.twoFactor.begin({ password: MATRIX_PASSWORD });
    expect(uri).toMatch(/^otpauth:\/\/totp\/Bandkeeper:/);
    const { recoveryCodes } = await as(session).profile.twoFactor.confirm({ code: await generate({ secret }) });
    return { secret, recoveryCodes, session };
  }

  it("stores the secret encrypted, asks for a code at sign-in, takes each code once, and a recovery code once", async () => {
    const member = await world.createMember("TRADER");
    const other = await signedIn(member);
    const { secret, recoveryCodes, session } = await enrol(member);
    expect(recoveryCodes).toHaveLength(10);
    const row = await database.prisma.user.findUniqueOrThrow({ where: { id: member.id } });
    expect(row.totpSecretCiphertext).toMatch(/^v1\./);
    expect(JSON.stringify(row)).not.toContain(secret);
    // Turning it on ends the sessions that began without it, not this one.
    expect(await liveSessionUser(database.prisma, sessionOf(other))).toBeNull();
    expect(await liveSessionUser(database.prisma, sessionOf(session))).not.toBeNull();

    const address = freshAddress();
    expect(await signIn(member.email, MATRIX_PASSWORD, new Date(), address)).toBe("TWO_FACTOR_REQUIRED: Enter the 6-digit code from your authenticator app, or a recovery code.");
    expect(await signIn(member.email, MATRIX_PASSWORD, new Date(), address, "123456")).toMatch(/^TWO_FACTOR_INVALID: This code is not right/);
    // The wrong password is still just wrong: the code question comes only after the password.
    expect(await signIn(member.email, "wrong-password", new Date(), address)).toBe("wrong");
    const now = new Date(Date.now() + 30 * SECOND);
    const code = await generate({ secret, epoch: Math.floor(now.getTime() / 1000) });
    expect(await signIn(member.email, MATRIX_PASSWORD, now, freshAddress(), code)).toBe("signed-in");
    expect(await signIn(member.email, MATRIX_PASSWORD, now, freshAddress(), code)).toMatch(/^TWO_FACTOR_INVALID: /);

    const recovery = recoveryCodes[0] ?? "";
    expect(await signIn(member.email, MATRIX_PASSWORD, new Date(), freshAddress(), recovery.toUpperCase())).toBe("signed-in");
    expect(await signIn(member.email, MATRIX_PASSWORD, new Date(), freshAddress(), recovery)).toBe("TWO_FACTOR_INVALID: This recovery code is not valid or was used already.");
    expect((await as(session).profile.twoFactor.status()).recoveryCodesLeft).toBe(9);
  });

  it("counts wrong codes like wrong passwords", async () => {
    const member = await world.createMember("TRADER");
    await enrol(member);
    const address = freshAddress();
    const now = new Date();
    for (let i = 0; i < 5; i++) await signIn(member.email, MATRIX_PASSWORD, now, address, "000000");
    expect(await signIn(member.email, MATRIX_PASSWORD, now, address, "111111")).toMatch(/^throttled: /);
  });

  it("turns off only with the password and a code", async () => {
    const member = await world.createMember("TRADER");
    const { secret, session } = await enrol(member);
    const wrong = await rejection(as(session).profile.twoFactor.disable({ password: MATRIX_PASSWORD, code: "000000" }));
    expect(fieldIssues(wrong).map((issue) => issue.path)).toEqual(["code"]);
    // The enrolment used this time step's code; a code works once, so this one is taken as if it were the next.
    await database.prisma.user.update({ where: { id: member.id }, data: { totpLastTimeStep: null } });
    await as(session).profile.twoFactor.disable({ password: MATRIX_PASSWORD, code: await generate({ secret }) });
    expect(await signIn(member.email, MATRIX_PASSWORD, new Date(), freshAddress())).toBe("signed-in");
  });

  it("when the team requires it, refuses approving and managing to admins and owners without it, and says where to set it up", async () => {
    const owner = await world.createMember("OWNER");
    const tooSoon = await rejection(
      as(owner).teams.updateSecurity({ approvalCoolingOffHours: 24, requireTwoFactor: true, riskyMinNotional: null, riskyMaxSpread: null, riskyOrdersPerSide: null }),
    );
    expect(tooSoon instanceof AppError && tooSoon.appCode).toBe("TWO_FACTOR_REQUIRED");
    expect(tooSoon.message).toMatch(/^Set up two-factor sign-in for yourself first/);

    await enrol(owner);
    await as(owner).teams.updateSecurity({ approvalCoolingOffHours: 24, requireTwoFactor: true, riskyMinNotional: null, riskyMaxSpread: null, riskyOrdersPerSide: null });
    try {
      const admin = await world.createMember("ADMIN");
      const bot = await world.createBot();
      const request = await as(world.members.TRADER).changes.proposeConfig({ botId: bot.id, baseVersion: null, config: { ordersPerSide: 2 }, reason: "2fa" });
      const refused = await rejection(as(admin).changes.approve({ id: request.id }));
      expect(refused instanceof AppError && refused.appCode).toBe("TWO_FACTOR_REQUIRED");
      expect(refused.message).toBe(
        "Matrix Desk requires two-factor sign-in to approve changes or manage accounts, channels and members. Set it up under Profile, Two-factor sign-in, then try again.",
      );
      expect((await rejection(as(admin).accounts.disable({ accountId: world.accountId, reason: "x" }))).message).toMatch(/requires two-factor sign-in/);
      // Reading, and the roles that neither approve nor manage, are not affected.
      expect((await as(admin).bots.list()).length).toBeGreaterThan(0);
      expect((await as(admin).profile.twoFactor.status()).requiredBy).toEqual(["Matrix Desk"]);
      await as(world.members.TRADER).bots.list();

      await enrol(admin);
      expect((await as(admin).changes.approve({ id: request.id })).status).toBe("APPROVED");
    } finally {
      await database.prisma.team.update({ where: { id: world.teamId }, data: { requireTwoFactor: false } });
    }
  });
});
