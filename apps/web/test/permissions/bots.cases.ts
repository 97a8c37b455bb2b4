import type { PermissionCase } from "./harness";

const today = () => new Date().toISOString().slice(0, 10);

export const cases: readonly PermissionCase[] = [
  { procedure: "bots.venueSymbols", row: "PROPOSE_CHANGE", input: (world) => ({ exchangeAccountId: world.accountId }) },
  { procedure: "bots.list", row: "VIEW_TEAM" },
  { procedure: "bots.overview", row: "VIEW_TEAM" },
  { procedure: "bots.detail", row: "VIEW_TEAM", input: async (world) => ({ botId: (await world.createBot()).id }) },
  { procedure: "bots.kpiSeries", row: "VIEW_TEAM", input: async (world) => ({ botId: (await world.createBot()).id, range: "24h" }) },
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
];
