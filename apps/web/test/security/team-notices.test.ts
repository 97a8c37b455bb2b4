// Owners hear of every new member and role change through the team's alert channels: the dashboard writes a TEAM
// notice per channel, and the engine's delivery worker (run here as the engine runs it) posts it, saying who joined,
// as what, invited by whom (issue 12, finding 2).
import { DeliveryWorker, createEmailSender } from "@bandkeeper/alerts";
import { type WebhookReceiver, startWebhookReceiver } from "@bandkeeper/alerts/testing";
import { until } from "@bandkeeper/testkit";
import type { TestDatabase } from "@bandkeeper/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCaller } from "../../src/server/routers";
import type { SessionUser } from "../../src/server/trpc";
import { MATRIX_ENCRYPTION_KEY, MATRIX_PASSWORD, type MatrixWorld, openMatrixWorld } from "../permissions/harness";

let database: TestDatabase;
let world: MatrixWorld;
let hook: WebhookReceiver;

beforeAll(async () => {
  ({ database, world } = await openMatrixWorld("bk_web_team_notices"));
  hook = await startWebhookReceiver();
});

afterAll(async () => {
  await hook?.close();
  await world?.close();
  await database?.drop();
});

const as = (user: SessionUser | null) => createCaller({ db: database.prisma, user });
const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

describe("team notices", () => {
  it("reach the team's webhook: a new member with their inviter, then their role change", async () => {
    await as(world.members.ADMIN).alerts.createChannel({ name: "owners' hook", type: "WEBHOOK", config: { url: hook.url, format: "json" } });
    const email = `joiner-${world.unique()}@matrix.example`;
    const created = await as(world.members.OWNER).invitations.create({ email, role: "TRADER" });
    await as(null).invitations.accept({ token: created.path?.split("/").at(-1) ?? "", email, name: "Jo Joiner", password: MATRIX_PASSWORD });
    const joiner = await database.prisma.membership.findFirstOrThrow({ where: { teamId: world.teamId, user: { email } } });
    await as(world.members.OWNER).members.changeRole({ membershipId: joiner.id, role: "ADMIN" });

    const worker = new DeliveryWorker({
      prisma: database.prisma,
      encryptionKey: MATRIX_ENCRYPTION_KEY,
      email: createEmailSender({ host: "127.0.0.1", port: 1, secure: false, from: "unused <unused@matrix.example>" }),
      outbound: { allowPrivateNetworks: true, requireHttps: false },
      webUrl: "http://dash.example",
      clock: { now: () => Date.now() },
      logger: quiet,
      timing: { pollMs: 50 },
    });
    worker.start();
    try {
      const bodies = await until(() => (hook.requests.length >= 2 ? hook.requests.map((request) => JSON.parse(request.body) as Record<string, unknown>) : undefined), 15_000, "two team notices");
      expect(bodies.map((body) => body.type)).toEqual(["alert.team", "alert.team"]);
      expect(bodies.map((body) => body.message).sort()).toEqual(
        [
          `Jo Joiner (${email}) joined Matrix Desk as TRADER, invited by ${world.members.OWNER.name}.`,
          `${world.members.OWNER.name} changed the role of Jo Joiner (${email}) in Matrix Desk from TRADER to ADMIN.`,
        ].sort(),
      );
      expect(bodies[0]?.url).toBe("http://dash.example/members");
    } finally {
      await worker.stop();
    }
  });
});
