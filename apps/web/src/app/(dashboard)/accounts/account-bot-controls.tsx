"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRef, useState } from "react";
import { buttonClass, problemOf } from "~/components/forms";
import { type Confirmation, ReasonDialog } from "~/components/reason-dialog";
import type { AccountItem } from "~/server/routers/accounts/list";
import { useTRPC } from "~/trpc/react";

type Operation = "pauseAccount" | "emergencyStopAccount";

const bots = (count: number) => `${count} bot${count === 1 ? "" : "s"}`;

function confirmationOf(operation: Operation, account: AccountItem): Confirmation {
  if (operation === "pauseAccount") {
    return {
      title: `Pause all bots on ${account.name}?`,
      body: (
        <p>
          This pauses <strong className="text-neutral-100">{bots(account.runningBots)}</strong> of the {bots(account.bots)} on
          this account: the engine pulls their quotes and keeps them ready. Paused and stopped bots stay as they are.
        </p>
      ),
      action: `Pause ${bots(account.runningBots)}`,
      danger: false,
    };
  }
  const affected = account.runningBots + account.pausedBots;
  return {
    title: `Emergency stop all bots on ${account.name}?`,
    body: (
      <p>
        This stops <strong className="text-neutral-100">{bots(affected)}</strong> of the {bots(account.bots)} on this
        account: the engine cancels every order they have on the exchange and stops them. It applies at once, without a
        second person; starting them again is done bot by bot.
      </p>
    ),
    action: `Stop ${bots(affected)} and cancel orders`,
    danger: true,
  };
}

const DONE: Record<Operation, string> = { pauseAccount: "Pausing", emergencyStopAccount: "Stopping" };

/** "Pause all" and "Emergency stop all" for one account's bots, each confirmed in a dialog naming the account. */
export function AccountBotControls({
  account,
  onDone,
}: {
  account: AccountItem;
  onDone: (notice: { tone: "success" | "error"; text: string }) => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const dialog = useRef<HTMLDialogElement>(null);
  const [pending, setPending] = useState<Operation | null>(null);
  const options = (operation: Operation) => ({
    onSuccess: (result: { account: { name: string }; changed: { symbol: string }[] }) => {
      const count = result.changed.length;
      onDone({
        tone: "success",
        text:
          count === 0
            ? `No bot on ${result.account.name} needed it: nothing changed.`
            : `${DONE[operation]} ${bots(count)} on ${result.account.name}: ${result.changed.map((bot) => bot.symbol).join(", ")}.`,
      });
    },
    onError: (error: unknown) => onDone({ tone: "error", text: problemOf(error).message }),
    onSettled: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: trpc.accounts.list.queryKey() }),
        queryClient.invalidateQueries({ queryKey: trpc.bots.pathKey() }),
      ]),
  });
  const mutations = {
    pauseAccount: useMutation(trpc.bots.pauseAccount.mutationOptions(options("pauseAccount"))),
    emergencyStopAccount: useMutation(trpc.bots.emergencyStopAccount.mutationOptions(options("emergencyStopAccount"))),
  };
  const busy = mutations.pauseAccount.isPending || mutations.emergencyStopAccount.isPending;
  const ask = (operation: Operation) => {
    setPending(operation);
    dialog.current?.showModal();
    // The counts the dialog names come from the account list: fetched again, they follow bots started meanwhile.
    void queryClient.invalidateQueries({ queryKey: trpc.accounts.list.queryKey() });
  };

  return (
    <>
      {/* Only what would change something is offered, as on a bot's own page. */}
      {account.runningBots > 0 && (
        <button
          type="button"
          disabled={busy}
          onClick={() => ask("pauseAccount")}
          aria-label={`Pause all bots on ${account.name}`}
          className={buttonClass.secondary}
        >
          Pause all
        </button>
      )}
      {account.runningBots + account.pausedBots > 0 && (
        <button
          type="button"
          disabled={busy}
          onClick={() => ask("emergencyStopAccount")}
          aria-label={`Emergency stop all bots on ${account.name}`}
          className={buttonClass.danger}
        >
          Emergency stop all
        </button>
      )}
      <ReasonDialog
        dialogRef={dialog}
        confirmation={pending ? confirmationOf(pending, account) : null}
        onConfirm={(reason) => pending && mutations[pending].mutate({ exchangeAccountId: account.id, reason })}
        onClose={() => setPending(null)}
      />
    </>
  );
}
