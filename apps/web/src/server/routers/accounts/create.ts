import { readEd25519PrivateKey } from "@bandkeeper/binance";
import { lineText } from "@bandkeeper/core/text";
import { z } from "zod";
import { ACCOUNT_VENUES, encryptionKey, readVenueAccount, venueColumns, type VenueCredentials } from "../../exchange";
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

// An Ed25519 private key in PEM: printable ASCII and line breaks; read and checked in the refinement below.
const pemText = z
  .string()
  .trim()
  .max(1000, "At most 1000 characters: paste the private key's PEM only.")
  .regex(/^[\x20-\x7e\r\n]*$/, "Paste the PEM text as the key file holds it.");

export const createAccountInput = z
  .object({
    name: accountName,
    venue: z.enum(ACCOUNT_VENUES, { error: "Choose Binance mainnet, Binance demo trading, Binance testnet or the simulator." }),
    // How the key signs: an HMAC key comes with a secret, an Ed25519 key with the private key it was made from.
    keyType: z.enum(["HMAC", "ED25519"], { error: "Choose HMAC or Ed25519." }).default("HMAC"),
    apiKey: apiCredential("Paste the API key."),
    apiSecret: apiCredential("Paste the API secret.").optional(),
    ed25519PrivateKey: pemText.optional(),
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
  })
  .superRefine((input, ctx) => {
    if (input.keyType === "HMAC") {
      if (input.apiSecret === undefined) ctx.addIssue({ code: "custom", path: ["apiSecret"], message: "Paste the API secret." });
      return;
    }
    if (!input.ed25519PrivateKey) {
      ctx.addIssue({ code: "custom", path: ["ed25519PrivateKey"], message: "Paste the Ed25519 private key (PEM)." });
      return;
    }
    try {
      readEd25519PrivateKey(input.ed25519PrivateKey);
    } catch (error) {
      ctx.addIssue({ code: "custom", path: ["ed25519PrivateKey"], message: `The private key ${(error as Error).message}.` });
    }
  });

/** The key and what signs with it, from a checked input; an Ed25519 key as PKCS#8 PEM. */
function credentialsOf(input: z.infer<typeof createAccountInput>): { venue: VenueCredentials; secret: string } {
  if (input.keyType === "ED25519") {
    const { privateKeyPem } = readEd25519PrivateKey(input.ed25519PrivateKey ?? "");
    return { venue: { apiKey: input.apiKey, ed25519PrivateKey: privateKeyPem }, secret: privateKeyPem };
  }
  const secret = input.apiSecret ?? "";
  return { venue: { apiKey: input.apiKey, apiSecret: secret }, secret };
}

export const createAccountOutput = z.object({ id: z.string(), name: z.string(), keyFingerprint: z.string() });

// Adds an exchange account after the venue has accepted its keys (an HMAC key and secret, or an Ed25519 key and
// its private key); they are stored only encrypted.
export const createAccount = teamProcedure("MANAGE_ACCOUNTS_AND_CHANNELS")
  .input(createAccountInput)
  .output(createAccountOutput)
  .mutation(async ({ ctx, input }) => {
    const key = encryptionKey();
    if (await nameTaken(ctx.db, ctx.team.id, input.name)) throw fieldError("name", "Another account of this team has this name.");

    const columns = { ...venueColumns(input.venue), baseUrl: input.baseUrl ?? null };
    const credentials = credentialsOf(input);
    const venueAccount = await readVenueAccount(columns, credentials.venue, "baseUrl");
    if (!venueAccount.canTrade) {
      throw fieldError("apiKey", "The exchange accepted this key but it may not trade: enable spot trading for it.");
    }
    return saveAccount(ctx.db, key, {
      teamId: ctx.team.id,
      actorId: ctx.user.id,
      name: input.name,
      columns,
      credentials: { apiKey: input.apiKey, keyType: input.keyType, secret: credentials.secret },
    });
  });
