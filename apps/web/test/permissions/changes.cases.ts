import { defaultBotConfig } from "@bandkeeper/core/config";
import type { MatrixWorld, PermissionCase, Role } from "./harness";

// A pending config change on a fresh bot, proposed by `proposerId` (by default a member other than the caller,
// so that an allowed reviewer may decide it).
async function pendingRequest(world: MatrixWorld, proposerId?: string): Promise<{ id: string }> {
  const bot = await world.createBot();
  const proposer = proposerId ?? (await world.createMember("TRADER")).id;
  return world.db.changeRequest.create({
    data: {
      teamId: world.teamId,
      botId: bot.id,
      kind: "UPDATE_CONFIG",
      proposerId: proposer,
      reason: "matrix",
      baseVersion: null,
      diff: [{ path: "ordersPerSide", old: 1, new: 2 }],
      proposedConfig: { ...defaultBotConfig, ordersPerSide: 2 },
    },
    select: { id: true },
  });
}

export const cases: readonly PermissionCase[] = [
  { procedure: "changes.list", row: "VIEW_TEAM", input: () => ({ view: "PENDING" }) },
  { procedure: "changes.get", row: "VIEW_TEAM", input: async (world) => ({ id: (await pendingRequest(world)).id }) },
  {
    procedure: "changes.replayReport",
    row: "VIEW_TEAM",
    input: async (world) => {
      const { id } = await pendingRequest(world);
      await world.db.changeRequestReplay.create({ data: { changeRequestId: id, baseConfig: defaultBotConfig, status: "DONE", proposedHtml: "<p>report</p>" } });
      return { id };
    },
  },
  { procedure: "changes.botConfig", row: "VIEW_TEAM", input: async (world) => ({ botId: (await world.createBot()).id }) },
  { procedure: "changes.newBotOptions", row: "PROPOSE_CHANGE" },
  {
    procedure: "changes.proposeConfig",
    row: "PROPOSE_CHANGE",
    input: async (world) => ({
      botId: (await world.createBot()).id,
      baseVersion: null,
      config: { ordersPerSide: 2 },
      reason: "matrix",
    }),
  },
  {
    procedure: "changes.proposeBot",
    row: "PROPOSE_CHANGE",
    // A symbol the venue lists, on an account of its own for each call (one pending request per account and symbol).
    input: async (world) => ({ exchangeAccountId: (await world.createAccount()).id, symbol: "BTCUSDT", config: {}, reason: "matrix" }),
  },
  { procedure: "changes.approve", row: "REVIEW_CHANGE", input: async (world) => ({ id: (await pendingRequest(world)).id }) },
  {
    procedure: "changes.reject",
    row: "REVIEW_CHANGE",
    input: async (world) => ({ id: (await pendingRequest(world)).id, comment: "matrix" }),
  },
  {
    procedure: "changes.cancel",
    row: "PROPOSE_CHANGE",
    // Only a proposer cancels: each role cancels a request of its own.
    input: async (world, role: Role) => ({ id: (await pendingRequest(world, world.members[role].id)).id }),
  },
];
