// Postgres NOTIFY channels written by database triggers (see prisma/migrations/*_bot_change_notify).

/** Fires when a bot is created or its desiredState or currentConfigVersionId changes, once its transaction commits. */
export const BOT_CHANGES_CHANNEL = "bandkeeper_bot_changes";

export interface BotChangeNotice {
  botId: string;
  exchangeAccountId: string;
  operation: "INSERT" | "UPDATE";
}

/** Reads a notification's payload; undefined for anything that is not a bot change notice. */
export function parseBotChangeNotice(payload: string | undefined): BotChangeNotice | undefined {
  if (!payload) return undefined;
  try {
    const value = JSON.parse(payload) as Partial<BotChangeNotice>;
    if (typeof value.botId !== "string" || typeof value.exchangeAccountId !== "string") return undefined;
    if (value.operation !== "INSERT" && value.operation !== "UPDATE") return undefined;
    return { botId: value.botId, exchangeAccountId: value.exchangeAccountId, operation: value.operation };
  } catch {
    return undefined;
  }
}
