/// <reference types="vite/client" />
// docs/design.md section 5 at the tRPC level: every procedure of appRouter, called by every role, is allowed or
// refused with PERMISSION_DENIED exactly as the design table says. A procedure without a case fails the suite,
// so a new procedure cannot ship without its row. Cases live in test/permissions/<router>.cases.ts.
import type { TestDatabase } from "@bandkeeper/db/testing";
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "../src/server/errors";
import { appRouter, createCaller } from "../src/server/routers";
import type { SessionUser } from "../src/server/trpc";
import { DESIGN_ROWS, type MatrixWorld, type PermissionCase, ROLES, type Role, openMatrixWorld } from "./permissions/harness";

const caseModules = import.meta.glob<{ cases: readonly PermissionCase[] }>("./permissions/*.cases.ts", {
  eager: true,
});
const cases = Object.values(caseModules).flatMap((module) => module.cases);
const procedures = Object.keys(appRouter._def.procedures).sort();

let database: TestDatabase;
let world: MatrixWorld;

beforeAll(async () => {
  ({ database, world } = await openMatrixWorld("bk_web_matrix"));
});

afterAll(async () => {
  await world?.close();
  await database?.drop();
});

// Calls a procedure by its dotted path through the same caller the app's server components use.
async function call(user: SessionUser | null, procedure: string, input: unknown): Promise<unknown> {
  let target: unknown = createCaller({ db: database.prisma, user });
  for (const segment of procedure.split(".")) target = (target as Record<string, unknown>)[segment];
  return (target as (input: unknown) => Promise<unknown>)(input);
}

async function outcome(promise: Promise<unknown>): Promise<{ ok: true } | { ok: false; error: TRPCError }> {
  try {
    await promise;
    return { ok: true };
  } catch (error) {
    if (!(error instanceof TRPCError)) throw error;
    return { ok: false, error };
  }
}

function describeError(error: TRPCError): string {
  const appCode = error instanceof AppError ? error.appCode : error.code;
  return `${appCode}: ${error.message}`;
}

describe("the permission matrix", () => {
  it("has exactly one case for every procedure of appRouter", () => {
    const covered = cases.map((entry) => entry.procedure);
    expect(procedures.filter((procedure) => !covered.includes(procedure)), "procedures without a case").toEqual([]);
    expect(covered.filter((procedure) => !procedures.includes(procedure)), "cases of no procedure").toEqual([]);
    expect(covered.filter((procedure, index) => covered.indexOf(procedure) !== index), "duplicate cases").toEqual([]);
  });
});

const rows = cases.flatMap((entry) =>
  ROLES.map((role) => ({ ...entry, role, allowed: (DESIGN_ROWS[entry.row] as readonly Role[]).includes(role) })),
);

describe.each(rows)("$procedure as $role ($row)", ({ role, allowed, ...entry }) => {
  it(allowed ? "is allowed" : "is PERMISSION_DENIED", async () => {
    const input = await entry.input?.(world, role);
    const result = await outcome(call(world.members[role], entry.procedure, input));
    if (!allowed) {
      expect(result.ok, "a refused role got through").toBe(false);
      if (!result.ok) expect(describeError(result.error)).toMatch(/^PERMISSION_DENIED:/);
      return;
    }
    const expected = entry.whenAllowed ?? "succeeds";
    if (expected === "succeeds") {
      expect(result.ok ? "succeeded" : describeError(result.error)).toBe("succeeded");
    } else {
      expect(result.ok ? "succeeded" : describeError(result.error)).toMatch(new RegExp(`^${expected.failsWith}:`));
    }
  });
});

const publicCases = cases.filter((entry) => entry.row === "PUBLIC");
const signedInOnly = cases.filter((entry) => entry.row !== "PUBLIC");
const teamScoped = signedInOnly.filter((entry) => entry.row !== "SIGNED_IN");

describe("without a session", () => {
  it.each(publicCases.map((entry) => [entry.procedure, entry] as const))("%s is open to anyone", async (_, entry) => {
    const input = await entry.input?.(world, "OWNER");
    const result = await outcome(call(null, entry.procedure, input));
    expect(result.ok ? "succeeded" : describeError(result.error)).toBe("succeeded");
  });

  it.each(signedInOnly.map((entry) => [entry.procedure, entry] as const))("%s is UNAUTHENTICATED", async (_, entry) => {
    const input = await entry.input?.(world, "OWNER");
    const result = await outcome(call(null, entry.procedure, input));
    expect(result.ok ? "succeeded" : describeError(result.error)).toMatch(/^UNAUTHENTICATED:/);
  });
});

describe("with a session naming a team the user does not belong to", () => {
  it.each(teamScoped.map((entry) => [entry.procedure, entry] as const))("%s is NOT_TEAM_MEMBER", async (_, entry) => {
    const outsider = await database.prisma.user.create({
      data: { email: `outsider-${world.unique()}@matrix.example`, name: "Outsider", passwordHash: "unused" },
    });
    const input = await entry.input?.(world, "OWNER");
    const user: SessionUser = { id: outsider.id, email: outsider.email, name: outsider.name, teamId: world.teamId };
    const result = await outcome(call(user, entry.procedure, input));
    expect(result.ok ? "succeeded" : describeError(result.error)).toMatch(/^NOT_TEAM_MEMBER:/);
  });
});
