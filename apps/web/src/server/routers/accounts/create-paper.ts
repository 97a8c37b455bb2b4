import { randomBytes } from "node:crypto";
import { decimalString } from "@bandkeeper/core/money";
import { z } from "zod";
import { encryptionKey, readVenueAccount, venueColumns } from "../../exchange";
import { fieldError } from "../../field-error";
import { provisionSimulatorAccount, revokeSimulatorKey } from "../../simulator-admin";
import { teamProcedure } from "../../trpc";
import { accountName, createAccountOutput } from "./create";
import { nameTaken, saveAccount } from "./save";

// The assets of the bundled simulator's pairs (BTCUSDT, ETHUSDT, BNBUSDT), which the form offers.
export const PAPER_ASSETS = ["USDT", "BTC", "ETH", "BNB"] as const;

// At most 12 digits before the point and 8 after it (the simulator's precision); empty means none of it.
const startingAmount = z
  .string()
  .trim()
  .transform((value) => (value === "" ? "0" : value.replace(/,/g, "")))
  .pipe(
    decimalString({
      positive: false,
      max: "999999999999.99999999",
      maxDecimals: 8,
      message: "Enter an amount like 1000000 or 0.5 (no sign, at most 8 decimals).",
    }),
  );

export const createPaperAccountInput = z
  .object({
    name: accountName,
    balances: z.object({ USDT: startingAmount, BTC: startingAmount, ETH: startingAmount, BNB: startingAmount }),
  })
  .refine((input) => Object.values(input.balances).some((amount) => Number(amount) > 0), {
    path: ["balances", "USDT"],
    message: "Give the account something to trade with: at least one starting balance above zero.",
  });

// A paper account on the bundled simulator: new keys are made here, the simulator creates the account with the
// chosen balances (and keeps it across restarts), the keys are proven with a signed request like any exchange
// account's, and stored encrypted. It names no address: like the demo account it follows SIMULATOR_URL.
export const createPaperAccount = teamProcedure("MANAGE_ACCOUNTS_AND_CHANNELS")
  .input(createPaperAccountInput)
  .output(createAccountOutput)
  .mutation(async ({ ctx, input }) => {
    const key = encryptionKey();
    if (await nameTaken(ctx.db, ctx.team.id, input.name)) throw fieldError("name", "Another account of this team has this name.");

    // Shaped like Binance's (64 characters), so the fingerprint shows as much of it as of theirs.
    const credentials = { apiKey: randomBytes(32).toString("hex"), apiSecret: randomBytes(32).toString("hex") };
    const balances = Object.fromEntries(Object.entries(input.balances).filter(([, amount]) => Number(amount) > 0));
    const columns = { ...venueColumns("SIMULATOR"), baseUrl: null };
    await provisionSimulatorAccount(credentials, balances);
    try {
      const venueAccount = await readVenueAccount(columns, credentials);
      if (!venueAccount.canTrade) throw new Error("the simulator created the account without trading permission");
      return await saveAccount(ctx.db, key, {
        teamId: ctx.team.id,
        actorId: ctx.user.id,
        name: input.name,
        columns,
        credentials: { apiKey: credentials.apiKey, keyType: "HMAC", secret: credentials.apiSecret },
        auditDetails: { paper: true, startingBalances: balances },
      });
    } catch (error) {
      // Nobody holds these keys any more: switch them off on the simulator, then report the first failure.
      await revokeSimulatorKey(credentials.apiKey).catch(() => undefined);
      throw error;
    }
  });
