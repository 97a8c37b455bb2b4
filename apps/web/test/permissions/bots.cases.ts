import type { MatrixWorld, PermissionCase } from "./harness";

const today = () => new Date().toISOString().slice(0, 10);

// An account of its own with one running bot, so each role's account-wide operation has something to change.
async function accountWithRunningBot(world: MatrixWorld) {
  const account = await world.createAccount();
  await world.db.bot.create({ data: { teamId: world.teamId, exchangeAccountId: account.id, symbol: "BTCUSDT", desiredState: "RUNNING" } });
  return { exchangeAccountId: account.id, reason: "permission matrix" };
}

export const cases: readonly PermissionCase[] = [
  { procedure: "bots.venueSymbols", row: "PROPOSE_CHANGE", input: (world) => ({ exchangeAccountId: world.accountId }) },
  { procedure: "bots.list", row: "VIEW_TEAM" },
  { procedure: "bots.overview", row: "VIEW_TEAM" },
  { procedure: "bots.detail", row: "VIEW_TEAM", input: async (world) => ({ botId: (await world.createBot()).id }) },
  { procedure: "bots.events", row: "VIEW_TEAM", input: async (world) => ({ botId: (await world.createBot()).id, type: "state" }) },
  { procedure: "bots.kpiSeries", row: "VIEW_TEAM", input: async (world) => ({ botId: (await world.createBot()).id, range: "24h" }) },
  { procedure: "bots.marketHistory", row: "VIEW_TEAM", input: async (world) => ({ botId: (await world.createBot()).id, range: "5m" }) },
  {
    procedure: "bots.kpiExport",
    row: "VIEW_TEAM",
    input: async (world) => ({ botId: (await world.createBot()).id, from: today(), to: today() }),
  },
  { procedure: "bots.start", row: "OPERATE_BOT", input: async (world) => ({ botId: (await world.createBot()).id }) },
  { procedure: "bots.pause", row: "OPERATE_BOT", input: async (world) => ({ botId: (await world.createBot()).id }) },
  {
    procedure: "bots.emergencyStop",
    row: "OPERATE_BOT",
    input: async (world) => ({ botId: (await world.createBot()).id, reason: "permission matrix" }),
  },
  { procedure: "bots.pauseAccount", row: "OPERATE_BOT", input: accountWithRunningBot },
  { procedure: "bots.emergencyStopAccount", row: "OPERATE_BOT", input: accountWithRunningBot },
];
