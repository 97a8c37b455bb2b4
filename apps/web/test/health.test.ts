// GET /api/health against a real PostgreSQL, and against one that is not there.
import { createPrismaClient } from "@bandkeeper/db/client";
import { afterAll, describe, expect, it } from "vitest";
import { webHealth } from "../src/server/health";
import { testServerUrl } from "@bandkeeper/testkit";

const reachable = createPrismaClient(testServerUrl);
// Port 1 on loopback: nothing listens, the connection is refused at once.
const refused = createPrismaClient("postgresql://postgres@127.0.0.1:1/none");

afterAll(async () => {
  await reachable.$disconnect();
  await refused.$disconnect().catch(() => undefined);
});

describe("the dashboard's health", () => {
  it("is ok while the database answers", async () => {
    expect(await webHealth(reachable)).toEqual({ status: "ok", database: "ok" });
  });

  it("is unhealthy, naming nothing, when the database refuses the connection", async () => {
    expect(await webHealth(refused)).toEqual({ status: "unhealthy", database: "unreachable" });
  });

  it("is unhealthy when the database does not answer within the deadline", async () => {
    const hanging = { $queryRaw: () => new Promise<unknown>(() => undefined) };
    const started = Date.now();
    expect(await webHealth(hanging, 200)).toEqual({ status: "unhealthy", database: "unreachable" });
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});
