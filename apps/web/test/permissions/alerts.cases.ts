import type { MatrixWorld, PermissionCase } from "./harness";

function channel(world: MatrixWorld) {
  return world.db.alertChannel.create({
    data: { teamId: world.teamId, name: `Hook ${world.unique()}`, type: "WEBHOOK", config: { url: "https://hooks.example/alerts", format: "json" } },
    select: { id: true },
  });
}

function rule(world: MatrixWorld) {
  return world.db.alertRule.create({ data: { teamId: world.teamId, name: `Faulted ${world.unique()}`, kind: "BOT_FAULTED" }, select: { id: true } });
}

async function openAlert(world: MatrixWorld) {
  const { id: ruleId } = await rule(world);
  const key = `${ruleId}:matrix`;
  return world.db.alertEvent.create({ data: { teamId: world.teamId, ruleId, dedupeKey: key, openDedupeKey: key, message: "matrix alert" }, select: { id: true } });
}

const ruleInput = (world: MatrixWorld) => ({
  name: `Two-sided ${world.unique()}`,
  kind: "TWO_SIDED_BELOW",
  botId: null,
  threshold: 0.999,
  windowSeconds: 300,
  escalateAfterMinutes: null,
  enabled: true,
  channelIds: [],
});

export const cases: readonly PermissionCase[] = [
  { procedure: "alerts.rules", row: "VIEW_TEAM" },
  { procedure: "alerts.channels", row: "VIEW_TEAM" },
  { procedure: "alerts.history", row: "VIEW_TEAM", input: () => ({}) },
  { procedure: "alerts.openCount", row: "VIEW_TEAM" },
  { procedure: "alerts.createRule", row: "MANAGE_ACCOUNTS_AND_CHANNELS", input: ruleInput },
  { procedure: "alerts.updateRule", row: "MANAGE_ACCOUNTS_AND_CHANNELS", input: async (world) => ({ ruleId: (await rule(world)).id, rule: ruleInput(world) }) },
  { procedure: "alerts.deleteRule", row: "MANAGE_ACCOUNTS_AND_CHANNELS", input: async (world) => ({ ruleId: (await rule(world)).id }) },
  {
    procedure: "alerts.createChannel",
    row: "MANAGE_ACCOUNTS_AND_CHANNELS",
    input: (world) => ({ name: `Mail ${world.unique()}`, type: "EMAIL", config: { recipients: ["desk@example.com"] } }),
  },
  {
    procedure: "alerts.updateChannel",
    row: "MANAGE_ACCOUNTS_AND_CHANNELS",
    input: async (world) => ({
      channelId: (await channel(world)).id,
      name: `Hook ${world.unique()}`,
      enabled: false,
      type: "WEBHOOK",
      config: { url: "https://hooks.example/other", format: "slack" },
    }),
  },
  { procedure: "alerts.deleteChannel", row: "MANAGE_ACCOUNTS_AND_CHANNELS", input: async (world) => ({ channelId: (await channel(world)).id }) },
  { procedure: "alerts.setDefaultChannel", row: "MANAGE_ACCOUNTS_AND_CHANNELS", input: async (world) => ({ channelId: (await channel(world)).id }) },
  { procedure: "alerts.rotateSecret", row: "MANAGE_ACCOUNTS_AND_CHANNELS", input: async (world) => ({ channelId: (await channel(world)).id }) },
  { procedure: "alerts.sendTest", row: "MANAGE_ACCOUNTS_AND_CHANNELS", input: async (world) => ({ channelId: (await channel(world)).id }) },
  { procedure: "alerts.acknowledge", row: "OPERATE_BOT", input: async (world) => ({ eventId: (await openAlert(world)).id }) },
];
