// The audit log as the dashboard reads it: newest first, filtered, a page at a time, one team only.
import type { TestDatabase } from "@bandkeeper/db/testing";
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordAudit } from "../src/server/audit";
import { createCaller } from "../src/server/routers";
import { type MatrixWorld, openMatrixWorld } from "./permissions/harness";

let database: TestDatabase;
let world: MatrixWorld;

const day = (date: string) => new Date(`${date}T00:00:00Z`);

beforeAll(async () => {
  ({ database, world } = await openMatrixWorld("bk_web_audit"));

  // Five entries on five days by two people, and one of another team on the same days.
  const { OWNER, ADMIN } = world.members;
  const entries = [
    { at: "2026-03-01", actorId: OWNER.id, action: "account.create", entityType: "ExchangeAccount" },
    { at: "2026-03-02", actorId: ADMIN.id, action: "bot.pause", entityType: "Bot" },
    { at: "2026-03-03", actorId: ADMIN.id, action: "bot.start", entityType: "Bot" },
    { at: "2026-03-04", actorId: OWNER.id, action: "member.change_role", entityType: "Membership" },
    { at: "2026-03-05", actorId: ADMIN.id, action: "bot.pause", entityType: "Bot" },
  ] as const;
  for (const entry of entries) {
    await recordAudit(database.prisma, { teamId: world.teamId, ...entry, entityId: `e-${entry.at}` });
  }
  for (const entry of entries) {
    await database.prisma.auditLog.updateMany({ where: { entityId: `e-${entry.at}` }, data: { createdAt: new Date(`${entry.at}T12:00:00Z`) } });
  }
  const other = await database.prisma.team.create({ data: { name: "Other", slug: `other-${world.unique()}` } });
  await recordAudit(database.prisma, { teamId: other.id, actorId: OWNER.id, action: "bot.pause", entityType: "Bot" });
});

afterAll(async () => {
  await world?.close();
  await database?.drop();
});

const viewer = () => createCaller({ db: database.prisma, user: world.members.VIEWER });
const inMarch = { from: day("2026-03-01"), to: day("2026-04-01") };

describe("audit.list", () => {
  it("pages newest first without gaps or repeats", async () => {
    const first = await viewer().audit.list({ ...inMarch, limit: 2 });
    expect(first.entries.map((entry) => entry.entityId)).toEqual(["e-2026-03-05", "e-2026-03-04"]);
    const second = await viewer().audit.list({ ...inMarch, limit: 2, cursor: first.nextCursor! });
    expect(second.entries.map((entry) => entry.entityId)).toEqual(["e-2026-03-03", "e-2026-03-02"]);
    const last = await viewer().audit.list({ ...inMarch, limit: 2, cursor: second.nextCursor! });
    expect(last.entries.map((entry) => entry.entityId)).toEqual(["e-2026-03-01"]);
    expect(last.nextCursor).toBeNull();
    expect(first.entries[0]?.actor).toEqual({ id: world.members.ADMIN.id, name: world.members.ADMIN.name, email: world.members.ADMIN.email });
  });

  it("filters by actor, action, entity and date range, together", async () => {
    const ids = async (filters: Parameters<ReturnType<typeof viewer>["audit"]["list"]>[0]) =>
      (await viewer().audit.list({ ...inMarch, ...filters })).entries.map((entry) => entry.entityId);
    expect(await ids({ actorId: world.members.OWNER.id })).toEqual(["e-2026-03-04", "e-2026-03-01"]);
    expect(await ids({ action: "bot.pause" })).toEqual(["e-2026-03-05", "e-2026-03-02"]);
    expect(await ids({ entityType: "Bot", actorId: world.members.ADMIN.id })).toEqual(["e-2026-03-05", "e-2026-03-03", "e-2026-03-02"]);
    expect(await ids({ from: day("2026-03-02"), to: day("2026-03-04") })).toEqual(["e-2026-03-03", "e-2026-03-02"]);
  });

  it("refuses a range that ends before it starts, on the field 'to'", async () => {
    const error = await viewer()
      .audit.list({ from: day("2026-03-05"), to: day("2026-03-01") })
      .catch((reason: unknown) => reason);
    expect(error).toBeInstanceOf(TRPCError);
    const issues = ((error as TRPCError).cause as unknown as { issues: { path: string[] }[] }).issues;
    expect(issues.map((issue) => issue.path.join("."))).toEqual(["to"]);
  });
});

describe("audit.filters", () => {
  it("offers the actors, actions and entity types of this team's log only", async () => {
    const filters = await viewer().audit.filters();
    expect(filters.actions).toEqual(["account.create", "bot.pause", "bot.start", "member.change_role"]);
    expect(filters.entityTypes).toEqual(["Bot", "ExchangeAccount", "Membership"]);
    expect(filters.actors.map((actor) => actor.id).sort()).toEqual([world.members.ADMIN.id, world.members.OWNER.id].sort());
  });
});
