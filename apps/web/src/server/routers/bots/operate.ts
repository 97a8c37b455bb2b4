// Start, pause and emergency stop: the operator sets the bot's desired state; a database trigger notifies the
// engine, which resumes quoting, pulls its quotes, or cancels the bot's orders and stops it.
import type { Prisma } from "@bandkeeper/db/client";
import { CONTROL_CHARACTER_MESSAGE, isPlainText } from "@bandkeeper/core/text";
import { z } from "zod";
import { BOT_DESIRED_STATES, type BotDesiredState } from "~/lib/bot-state";
import { recordAudit } from "../../audit";
import { AppError } from "../../errors";
import { teamProcedure } from "../../trpc";
import { botIdInput } from "./detail";

const operateOutput = z.object({ id: z.string(), desiredState: z.enum(BOT_DESIRED_STATES), changed: z.boolean() });

export interface Operation {
  action: "bot.start" | "bot.pause" | "bot.emergency_stop";
  desiredState: BotDesiredState;
}

export const START: Operation = { action: "bot.start", desiredState: "RUNNING" };
export const PAUSE: Operation = { action: "bot.pause", desiredState: "PAUSED" };
export const EMERGENCY_STOP: Operation = { action: "bot.emergency_stop", desiredState: "STOPPED" };

export const reasonInput = z
  .string()
  .trim()
  .max(500, "must be at most 500 characters")
  .refine(isPlainText, CONTROL_CHARACTER_MESSAGE)
  .optional()
  .transform((value) => (value === "" ? undefined : value));

/**
 * Asking for the state a bot is already in changes nothing, nor does pausing a stopped bot (that would hand it to an
 * engine just to hold it).
 */
export function changesBot(operation: Operation, current: BotDesiredState): boolean {
  if (operation.desiredState === "PAUSED" && current === "STOPPED") return false;
  return current !== operation.desiredState;
}

interface Actor {
  teamId: string;
  user: { id: string; name: string };
}

/**
 * Writes one bot's new desired state with its audit entry (and for an emergency stop its timeline event), in the
 * caller's transaction, which holds the bot's row lock. `context` adds to the audit payload (the account of an
 * account-wide stop).
 */
export async function applyOperation(
  tx: Prisma.TransactionClient,
  actor: Actor,
  bot: { id: string; desiredState: BotDesiredState },
  operation: Operation,
  reason: string | undefined,
  context: Record<string, string> = {},
): Promise<void> {
  await tx.bot.update({ where: { id: bot.id }, data: { desiredState: operation.desiredState } });
  if (operation.action === "bot.emergency_stop") {
    await tx.botEvent.create({
      data: {
        botId: bot.id,
        type: "operator_emergency_stop",
        reason: `Emergency stop by ${actor.user.name}${reason ? `: ${reason}` : ""}`,
        data: { actorId: actor.user.id, ...context },
      },
    });
  }
  await recordAudit(tx, {
    teamId: actor.teamId,
    actorId: actor.user.id,
    action: operation.action,
    entityType: "Bot",
    entityId: bot.id,
    payload: { from: bot.desiredState, to: operation.desiredState, ...(reason ? { reason } : {}), ...context },
  });
}

// The reason is optional; the audit entry (and for an emergency stop the bot's timeline) keeps it.
const operateInput = botIdInput.extend({ reason: reasonInput });

function operate(operation: Operation) {
  return teamProcedure("OPERATE_BOT")
    .input(operateInput)
    .output(operateOutput)
    .mutation(async ({ ctx, input }) => {
      return ctx.db.$transaction(async (tx) => {
        // Locks the row, so two operators acting at once are applied one after the other.
        const [bot] = await tx.$queryRaw<{ id: string; desiredState: BotDesiredState }[]>`
          SELECT id, "desiredState" FROM "Bot" WHERE id = ${input.botId} AND "teamId" = ${ctx.team.id} FOR UPDATE`;
        if (!bot) throw new AppError("NOT_FOUND", "No such bot in this team.");
        // An emergency stop of one bot is always recorded, even of a bot already asked to stop.
        if (!changesBot(operation, bot.desiredState) && operation !== EMERGENCY_STOP) {
          return { id: bot.id, desiredState: bot.desiredState, changed: false };
        }
        await applyOperation(tx, { teamId: ctx.team.id, user: ctx.user }, bot, operation, input.reason);
        return { id: bot.id, desiredState: operation.desiredState, changed: true };
      });
    });
}

export const startBot = operate(START);
export const pauseBot = operate(PAUSE);
export const emergencyStopBot = operate(EMERGENCY_STOP);
