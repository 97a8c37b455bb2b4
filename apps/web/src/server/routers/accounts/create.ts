import { lineText } from "@bandkeeper/core/text";
import { z } from "zod";
import { ACCOUNT_VENUES, encryptionKey, readVenueAccount, venueColumns } from "../../exchange";
import { fieldError } from "../../field-error";
import { teamProcedure } from "../../trpc";
import { nameTaken, saveAccount } from "./save";

export const accountName = lineText({ min: { length: 1, message: "Give the account a name." }, max: { length: 60, message: "At most 60 characters." } });

// Keys are printable ASCII as the exchange shows them; anything else cannot go into a request header.
const apiCredential = (missing: string) =>
  z
    .string()
    .trim()
    .min(1, missing)
    .max(200, "At most 200 characters.")
    .regex(/^[\x21-\x7e]*$/, "Paste it exactly as the exchange shows it: letters, digits and symbols only.");

export const createAccountInput = z
  .object({
    name: accountName,
    venue: z.enum(ACCOUNT_VENUES, { error: "Choose Binance mainnet, Binance testnet or the simulator." }),
    apiKey: apiCredential("Paste the API key."),
    apiSecret: apiCredential("Paste the API secret."),
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
    const venueAccount = await readVenueAccount(columns, input, "baseUrl");
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
