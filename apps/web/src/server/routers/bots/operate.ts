// Start, pause and emergency stop: the operator sets the bot's desired state; a database trigger notifies the
// engine, which resumes quoting, pulls its quotes, or cancels the bot's orders and stops it.
import { CONTROL_CHARACTER_MESSAGE, isPlainText } from "@bandkeeper/core/text";
import { z } from "zod";
import { BOT_DESIRED_STATES, type BotDesiredState } from "~/lib/bot-state";
import { recordAudit } from "../../audit";
import { AppError } from "../../errors";
import { teamProcedure } from "../../trpc";
import { botIdInput } from "./detail";

const operateOutput = z.object({ id: z.string(), desiredState: z.enum(BOT_DESIRED_STATES), changed: z.boolean() });

interface Operation {
  action: "bot.start" | "bot.pause" | "bot.emergency_stop";
  desiredState: BotDesiredState;
}

const reasonInput = z
  .string()
  .trim()
  .max(500, "must be at most 500 characters")
  .refine(isPlainText, CONTROL_CHARACTER_MESSAGE)
  .optional()
  .transform((value) => (value === "" ? undefined : value));

// The reason is optional; the audit entry (and for an emergency stop the bot's timeline) keeps it.
const operateInput = botIdInput.extend({ reason: reasonInput });

function operate(operation: Operation) {
  return teamProcedure("OPERATE_BOT")
    .input(operateInput)
    .output(operateOutput)
    .mutation(async ({ ctx, input }) => {
      const { reason } = input;
      return ctx.db.$transaction(async (tx) => {
        // Locks the row, so two operators acting at once are applied one after the other.
        const [bot] = await tx.$queryRaw<{ id: string; desiredState: BotDesiredState }[]>`
          SELECT id, "desiredState" FROM "Bot" WHERE id = ${input.botId} AND "teamId" = ${ctx.team.id} FOR UPDATE`;
        if (!bot) throw new AppError("NOT_FOUND", "No such bot in this team.");
        const emergency = operation.action === "bot.emergency_stop";
        // Asking for the state a bot is already in changes nothing, nor does pausing a stopped bot (that would
        // hand it to an engine just to hold it); an emergency stop is always recorded.
        const pausingStopped = operation.desiredState === "PAUSED" && bot.desiredState === "STOPPED";
        if ((bot.desiredState === operation.desiredState && !emergency) || pausingStopped) {
          return { id: bot.id, desiredState: bot.desiredState, changed: false };
        }
        await tx.bot.update({ where: { id: bot.id }, data: { desiredState: operation.desiredState } });
        if (emergency) {
          await tx.botEvent.create({
            data: {
              botId: bot.id,
              type: "operator_emergency_stop",
              reason: `Emergency stop by ${ctx.user.name}${reason ? `: ${reason}` : ""}`,
              data: { actorId: ctx.user.id },
            },
          });
        }
        await recordAudit(tx, {
          teamId: ctx.team.id,
          actorId: ctx.user.id,
          action: operation.action,
          entityType: "Bot",
          entityId: bot.id,
          payload: { from: bot.desiredState, to: operation.desiredState, ...(reason ? { reason } : {}) },
        });
        return { id: bot.id, desiredState: operation.desiredState, changed: true };
      });
    });
}

export const startBot = operate({ action: "bot.start", desiredState: "RUNNING" });
export const pauseBot = operate({ action: "bot.pause", desiredState: "PAUSED" });
export const emergencyStopBot = operate({ action: "bot.emergency_stop", desiredState: "STOPPED" });
