"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRef, useState } from "react";
import { type Confirmation, ReasonDialog } from "~/components/reason-dialog";
import type { BotDesiredState } from "~/lib/bot-state";
import { useTRPC } from "~/trpc/react";

type Operation = "start" | "pause" | "emergencyStop";

const CONFIRMATIONS: Record<Operation, Confirmation> = {
  start: {
    title: "Start quoting?",
    body: "The engine resumes the bot: it places a bid and an ask inside the band within seconds.",
    action: "Start",
    danger: false,
  },
  pause: {
    title: "Pause the bot?",
    body: "The engine pulls the bot's quotes and keeps it ready. Paused time does not count against the KPIs.",
    action: "Pause",
    danger: false,
  },
  emergencyStop: {
    title: "Emergency stop?",
    body: "The engine cancels every order of this bot on the exchange and stops it. Starting it again is a separate action.",
    action: "Stop and cancel orders",
    danger: true,
  },
};

const button = "rounded px-3 py-1.5 text-sm font-medium focus-visible:outline-2 focus-visible:outline-offset-2 disabled:opacity-50";

/** Start, pause and emergency stop, each behind a confirmation dialog (Escape cancels). */
export function BotControls({ botId, desiredState }: { botId: string; desiredState: BotDesiredState }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const dialog = useRef<HTMLDialogElement>(null);
  const [pending, setPending] = useState<Operation | null>(null);
  const onSettled = () => queryClient.invalidateQueries({ queryKey: trpc.bots.pathKey() });
  const start = useMutation(trpc.bots.start.mutationOptions({ onSettled }));
  const pause = useMutation(trpc.bots.pause.mutationOptions({ onSettled }));
  const stop = useMutation(trpc.bots.emergencyStop.mutationOptions({ onSettled }));
  const mutations = { start, pause, emergencyStop: stop };
  const failed = [start, pause, stop].find((m) => m.isError);

  const ask = (operation: Operation) => {
    setPending(operation);
    dialog.current?.showModal();
  };
  const busy = start.isPending || pause.isPending || stop.isPending;

  return (
    <div className="flex flex-wrap items-center gap-2">
      {desiredState !== "RUNNING" && (
        <button type="button" disabled={busy} onClick={() => ask("start")} className={`${button} bg-emerald-600 text-white hover:bg-emerald-500`}>
          Start
        </button>
      )}
      {desiredState === "RUNNING" && (
        <button type="button" disabled={busy} onClick={() => ask("pause")} className={`${button} bg-neutral-800 text-neutral-100 hover:bg-neutral-700`}>
          Pause
        </button>
      )}
      {desiredState !== "STOPPED" && (
        <button type="button" disabled={busy} onClick={() => ask("emergencyStop")} className={`${button} bg-red-600 text-white hover:bg-red-500`}>
          Emergency stop
        </button>
      )}
      {failed && (
        <p role="alert" className="text-sm text-red-300">
          {failed.error?.message}
        </p>
      )}
      <ReasonDialog
        dialogRef={dialog}
        confirmation={pending ? CONFIRMATIONS[pending] : null}
        onConfirm={(reason) => pending && mutations[pending].mutate({ botId, reason })}
        onClose={() => setPending(null)}
      />
    </div>
  );
}
