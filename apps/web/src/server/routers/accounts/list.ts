import { z } from "zod";
import { teamProcedure } from "../../trpc";

export const accountsListOutput = z.array(
  z.object({
    id: z.string(),
    name: z.string(),
    venue: z.enum(["BINANCE", "SIMULATOR"]),
    environment: z.enum(["MAINNET", "TESTNET", "DEMO", "SIMULATOR"]),
    // What people see instead of the key; neither key nor secret ever leaves the server.
    keyFingerprint: z.string(),
    keyType: z.enum(["HMAC", "ED25519"]),
    baseUrl: z.string().nullable(),
    status: z.enum(["ACTIVE", "DISABLED"]),
    statusReason: z.string().nullable(),
    disabledAt: z.date().nullable(),
    createdAt: z.date(),
    createdBy: z.string().nullable(),
    bots: z.number().int(),
    // How many of its bots are asked to run or to be paused: what "Pause all" and "Emergency stop all" would change.
    runningBots: z.number().int(),
    pausedBots: z.number().int(),
  }),
);

export type AccountItem = z.infer<typeof accountsListOutput>[number];

export const listAccounts = teamProcedure("VIEW_TEAM")
  .output(accountsListOutput)
  .query(async ({ ctx }) => {
    const accounts = await ctx.db.exchangeAccount.findMany({
      where: { teamId: ctx.team.id },
      orderBy: [{ status: "asc" }, { name: "asc" }],
      select: {
        id: true,
        name: true,
        venue: true,
        environment: true,
        keyFingerprint: true,
        keyType: true,
        baseUrl: true,
        status: true,
        statusReason: true,
        disabledAt: true,
        createdAt: true,
        createdBy: { select: { name: true } },
        bots: { select: { desiredState: true } },
      },
    });
    return accounts.map(({ createdBy, bots, ...account }) => ({
      ...account,
      createdBy: createdBy?.name ?? null,
      bots: bots.length,
      runningBots: bots.filter((bot) => bot.desiredState === "RUNNING").length,
      pausedBots: bots.filter((bot) => bot.desiredState === "PAUSED").length,
    }));
  });
