import { z } from "zod";
import { ACCOUNT_VENUES, baseUrlsOf, encryptionKey, readVenueAccount, venueColumns } from "../../exchange";
import { fieldError } from "../../field-error";
import { teamProcedure } from "../../trpc";
import { nameTaken, saveAccount } from "./save";

export const accountName = z.string().trim().min(1, "Give the account a name.").max(60, "At most 60 characters.");

export const createAccountInput = z
  .object({
    name: accountName,
    venue: z.enum(ACCOUNT_VENUES, { error: "Choose Binance mainnet, Binance testnet or the simulator." }),
    apiKey: z.string().trim().min(1, "Paste the API key.").max(200, "At most 200 characters."),
    apiSecret: z.string().trim().min(1, "Paste the API secret.").max(200, "At most 200 characters."),
    // Only for the simulator: where it answers, when not at the server's SIMULATOR_URL.
    baseUrl: z
      .string()
      .trim()
      .max(200, "At most 200 characters.")
      .optional()
      .transform((value) => (value ? value.replace(/\/+$/, "") : undefined))
      .pipe(z.url({ protocol: /^https?$/, error: "Enter an http:// or https:// URL." }).optional()),
  })
  .refine((input) => input.venue === "SIMULATOR" || input.baseUrl === undefined, {
    path: ["baseUrl"],
    message: "Only a simulator account takes an address; Binance's are fixed.",
  });

export const createAccountOutput = z.object({ id: z.string(), name: z.string(), keyFingerprint: z.string() });

// Adds an exchange account after the venue has accepted its keys; they are stored only encrypted.
export const createAccount = teamProcedure("MANAGE_ACCOUNTS_AND_CHANNELS")
  .input(createAccountInput)
  .output(createAccountOutput)
  .mutation(async ({ ctx, input }) => {
    const key = encryptionKey();
    if (await nameTaken(ctx.db, ctx.team.id, input.name)) throw fieldError("name", "Another account of this team has this name.");

    const columns = { ...venueColumns(input.venue), baseUrl: input.baseUrl ?? null };
    const venueAccount = await readVenueAccount(baseUrlsOf(columns), input);
    if (!venueAccount.canTrade) {
      throw fieldError("apiKey", "The exchange accepted this key but it may not trade: enable spot trading for it.");
    }
    return saveAccount(ctx.db, key, {
      teamId: ctx.team.id,
      actorId: ctx.user.id,
      name: input.name,
      columns,
      credentials: { apiKey: input.apiKey, apiSecret: input.apiSecret },
    });
  });
