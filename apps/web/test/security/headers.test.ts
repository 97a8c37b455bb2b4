// Issue 12, finding 7 at the server's edge: the policy pages are served with, and tRPC mutations refused unless
// they come from the dashboard's own pages at a host it answers as. (The browser side, a CSP that the app passes
// and a framed page refused, is in e2e/tests/security.spec.ts.)
import type { TestDatabase } from "@bandkeeper/db/testing";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import superjson from "superjson";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requestContext } from "../../src/server/request-context";
import { appRouter } from "../../src/server/routers";
import { contentSecurityPolicy, crossSiteProblem, dashboardHosts } from "../../src/server/security-headers";
import { type MatrixWorld, openMatrixWorld } from "../permissions/harness";

describe("contentSecurityPolicy", () => {
  it("allows only the page's own and nonced scripts, no inline styles, and no framing", () => {
    const policy = contentSecurityPolicy({ nonce: "abc123", development: false, https: false });
    expect(policy).toContain("script-src 'self' 'nonce-abc123' 'strict-dynamic'");
    expect(policy).toContain("style-src 'self' 'nonce-abc123'");
    expect(policy).toContain("frame-ancestors 'none'");
    expect(policy).toContain("object-src 'none'");
    expect(policy).not.toContain("unsafe-inline");
    expect(policy).not.toContain("unsafe-eval");
    expect(policy).not.toContain("upgrade-insecure-requests");
    expect(contentSecurityPolicy({ nonce: "n", development: false, https: true })).toContain("upgrade-insecure-requests");
  });
});

describe("crossSiteProblem", () => {
  const local = dashboardHosts("http://localhost:3000");
  const headers = (entries: Record<string, string>) => new Headers(entries);
  it.each([
    ["the dashboard's own page", { host: "localhost:3000", origin: "http://localhost:3000" }, local, null],
    ["the same dashboard by its loopback address", { host: "127.0.0.1:3000", origin: "http://127.0.0.1:3000" }, local, null],
    ["another site's page", { host: "localhost:3000", origin: "https://evil.example" }, local, "the request came from another site"],
    ["a page of another port", { host: "localhost:3000", origin: "http://localhost:4000" }, local, "the request came from another site"],
    ["an opaque origin (sandboxed frame)", { host: "localhost:3000", origin: "null" }, local, "the request's Origin is not a URL"],
    ["a rebound host name", { host: "attacker.example:3000", origin: "http://attacker.example:3000" }, local, "the dashboard does not answer as attacker.example:3000"],
    ["a cross-site fetch without Origin", { host: "localhost:3000", "sec-fetch-site": "cross-site" }, local, "the request came from another site"],
    ["a script or curl (no browser headers)", { host: "localhost:3000" }, local, null],
    ["any host when NEXTAUTH_URL is unset, if Origin matches it", { host: "desk.example:8443", origin: "https://desk.example:8443" }, null, null],
  ] as const)("%s", (_case, entries, hosts, expected) => {
    expect(crossSiteProblem(headers(entries), hosts)).toBe(expected);
  });
});

describe("tRPC mutations over HTTP", () => {
  let database: TestDatabase;
  let world: MatrixWorld;

  beforeAll(async () => {
    ({ database, world } = await openMatrixWorld("bk_web_headers", { NEXTAUTH_URL: "http://127.0.0.1:3999" }));
  });

  afterAll(async () => {
    await world?.close();
    await database?.drop();
  });

  async function emergencyStop(botId: string, extra: Record<string, string>) {
    const response = await fetchRequestHandler({
      endpoint: "/api/trpc",
      req: new Request("http://127.0.0.1:3999/api/trpc/bots.emergencyStop", {
        method: "POST",
        headers: { "content-type": "application/json", host: "127.0.0.1:3999", ...extra },
        body: JSON.stringify(superjson.serialize({ botId })),
      }),
      router: appRouter,
      createContext: requestContext(() => database.prisma, () => Promise.resolve(world.members.TRADER)),
    });
    const body = (await response.json()) as { error?: { json: { data: { appCode: string } } } };
    return { status: response.status, appCode: body.error?.json.data.appCode ?? null };
  }

  const desiredState = async (botId: string) => (await database.prisma.bot.findUniqueOrThrow({ where: { id: botId } })).desiredState;

  it("refuses an emergency stop sent from another site's page, and changes nothing", async () => {
    const bot = await world.createBot();
    await database.prisma.bot.update({ where: { id: bot.id }, data: { desiredState: "RUNNING" } });
    expect(await emergencyStop(bot.id, { origin: "https://evil.example" })).toEqual({ status: 403, appCode: "CROSS_SITE" });
    expect(await emergencyStop(bot.id, { host: "rebound.example:3999", origin: "http://rebound.example:3999" })).toEqual({ status: 403, appCode: "CROSS_SITE" });
    expect(await desiredState(bot.id)).toBe("RUNNING");
  });

  it("lets the dashboard's own page through", async () => {
    const bot = await world.createBot();
    await database.prisma.bot.update({ where: { id: bot.id }, data: { desiredState: "RUNNING" } });
    expect(await emergencyStop(bot.id, { origin: "http://127.0.0.1:3999", "sec-fetch-site": "same-origin" })).toEqual({ status: 200, appCode: null });
    expect(await desiredState(bot.id)).toBe("STOPPED");
  });
});
