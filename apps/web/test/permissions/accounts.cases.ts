import type { MatrixWorld, PermissionCase } from "./harness";

async function disabledAccount(world: MatrixWorld) {
  const account = await world.createAccount();
  await world.db.exchangeAccount.update({ where: { id: account.id }, data: { status: "DISABLED" } });
  return account;
}

export const cases: readonly PermissionCase[] = [
  { procedure: "accounts.list", row: "VIEW_TEAM" },
  {
    procedure: "accounts.create",
    row: "MANAGE_ACCOUNTS_AND_CHANNELS",
    // Real keys of the real simulator: an allowed call passes the venue check and saves.
    input: (world) => ({
      name: `Added ${world.unique()}`,
      venue: "SIMULATOR",
      apiKey: world.simulator.apiKey,
      apiSecret: world.simulator.apiSecret,
      baseUrl: world.simulator.url,
    }),
  },
  {
    procedure: "accounts.createPaper",
    row: "MANAGE_ACCOUNTS_AND_CHANNELS",
    // The world's simulator (at SIMULATOR_URL) provisions it: an allowed call creates the account and saves.
    input: (world) => ({ name: `Paper ${world.unique()}`, balances: { USDT: "50000", BTC: "1", ETH: "", BNB: "" } }),
  },
  { procedure: "accounts.balances", row: "VIEW_TEAM", input: (world) => ({ accountId: world.accountId }) },
  {
    procedure: "accounts.disable",
    row: "MANAGE_ACCOUNTS_AND_CHANNELS",
    input: async (world) => ({ accountId: (await world.createAccount()).id }),
  },
  {
    procedure: "accounts.enable",
    row: "MANAGE_ACCOUNTS_AND_CHANNELS",
    input: async (world) => ({ accountId: (await disabledAccount(world)).id }),
  },
];
