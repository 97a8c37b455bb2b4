"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { Fragment, useState } from "react";
import { DataTable } from "~/components/data-table";
import { ConfirmButton } from "~/components/confirm-button";
import { EmptyState, Notice, buttonClass, problemOf, tableClass } from "~/components/forms";
import { StateBadge } from "~/components/state-badge";
import { formatDateTime } from "~/lib/format";
import { isAllowed } from "~/server/permissions";
import type { AccountItem } from "~/server/routers/accounts/list";
import { useTRPC } from "~/trpc/react";
import { AccountBotControls } from "./account-bot-controls";
import { AddAccountForm } from "./add-account-form";
import { BalancesPanel } from "./balances-panel";

// "Binance · testnet"; the simulator is its own environment, so it is named once.
export function venueLabel(account: Pick<AccountItem, "venue" | "environment">): string {
  if (account.venue === "SIMULATOR") return "Simulator";
  if (account.environment === "DEMO") return "Binance · demo trading";
  return `Binance · ${account.environment.toLowerCase()}`;
}

export function AccountsView() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const accounts = useQuery(trpc.accounts.list.queryOptions());
  const team = useQuery(trpc.teams.current.queryOptions());
  const [adding, setAdding] = useState(false);
  const [openBalances, setOpenBalances] = useState<string | null>(null);
  const [notice, setNotice] = useState<{ tone: "success" | "error"; text: string } | null>(null);

  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.accounts.list.queryKey() });
  const disable = useMutation(
    trpc.accounts.disable.mutationOptions({
      onSuccess: async (result) => {
        await refresh();
        const stopped = result.stoppedBots.length;
        setNotice({
          tone: "success",
          text: `Account disabled. ${stopped === 0 ? "It had no running bots." : `Stopping ${stopped} bot${stopped === 1 ? "" : "s"}: ${result.stoppedBots.join(", ")}.`}`,
        });
      },
      onError: (error) => setNotice({ tone: "error", text: problemOf(error).message }),
    }),
  );
  const enable = useMutation(
    trpc.accounts.enable.mutationOptions({
      onSuccess: async () => {
        await refresh();
        setNotice({ tone: "success", text: "Account enabled. Its bots stay stopped until someone starts them." });
      },
      onError: (error) => setNotice({ tone: "error", text: problemOf(error).message }),
    }),
  );

  const canManage = team.data?.role === "OWNER" || team.data?.role === "ADMIN";
  const canOperate = team.data ? isAllowed(team.data.role, "OPERATE_BOT") : false;

  if (accounts.isPending) return <p className="text-neutral-500">Loading accounts…</p>;
  if (accounts.isError) return <Notice tone="error">Could not load the accounts: {accounts.error.message}</Notice>;

  return (
    <div className="space-y-4">
      {notice && <Notice tone={notice.tone}>{notice.text}</Notice>}
      {canManage &&
        (adding ? (
          <AddAccountForm
            onAdded={(name) => {
              setAdding(false);
              setNotice({ tone: "success", text: `${name} was added: the exchange accepted its keys.` });
            }}
            onCancel={() => setAdding(false)}
          />
        ) : (
          <button type="button" onClick={() => setAdding(true)} className={buttonClass.primary}>
            Add account
          </button>
        ))}
      {!canManage && team.data && (
        <p className="text-xs text-neutral-500">Owners and admins add and disable accounts; your role ({team.data.role}) can view them.</p>
      )}

      {accounts.data.length === 0 ? (
        <EmptyState title="No exchange accounts yet">
          {canManage ? "Add one to give bots something to trade with." : "An owner or admin adds them."}
        </EmptyState>
      ) : (
        <DataTable
          caption="Exchange accounts of this team"
          className="w-full border-collapse sm:min-w-[44rem]"
          columns={["Account", { label: "Key", className: "hidden sm:table-cell" }, "Status", { label: "Bots", className: "hidden text-right sm:table-cell" }]}
          actions
        >
          {accounts.data.map((account) => (
            <Fragment key={account.id}>
              <tr className="hover:bg-neutral-900/50" data-testid={`account-${account.name}`}>
                <th scope="row" className={`${tableClass.cell} text-left font-normal`}>
                  <span className="font-medium text-neutral-100">{account.name}</span>
                  <span className="block text-xs text-neutral-500">
                    {venueLabel(account)}
                    {account.baseUrl && <span className="font-mono"> · {account.baseUrl}</span>}
                  </span>
                </th>
                <td className={`${tableClass.cell} hidden font-mono text-neutral-300 sm:table-cell`}>
                  {account.keyFingerprint}
                  {account.keyType === "ED25519" && <span className="block font-sans text-xs text-neutral-500">Ed25519 key</span>}
                </td>
                <td className={tableClass.cell}>
                  <StateBadge state={account.status} tone={account.status === "ACTIVE" ? "good" : "idle"} />
                  {account.status === "DISABLED" && (
                    <span className="mt-0.5 block text-xs text-neutral-500">
                      {account.disabledAt && `since ${formatDateTime(account.disabledAt)} UTC`}
                      {account.statusReason && ` · ${account.statusReason}`}
                    </span>
                  )}
                </td>
                <td className={`${tableClass.cell} hidden text-right sm:table-cell`}>
                  <Link href={`/bots?account=${account.id}`} className="font-mono text-neutral-100 hover:underline">
                    {account.bots}
                    <span className="sr-only"> bots of {account.name}</span>
                  </Link>
                  {account.runningBots + account.pausedBots > 0 && (
                    <span className="block text-xs text-neutral-500">
                      {[account.runningBots > 0 && `${account.runningBots} running`, account.pausedBots > 0 && `${account.pausedBots} paused`]
                        .filter(Boolean)
                        .join(" · ")}
                    </span>
                  )}
                </td>
                <td className={`${tableClass.cell} text-right`}>
                  <div className="flex flex-wrap justify-end gap-1.5">
                    <button
                      type="button"
                      aria-expanded={openBalances === account.id}
                      onClick={() => setOpenBalances(openBalances === account.id ? null : account.id)}
                      className={buttonClass.secondary}
                    >
                      Balances
                    </button>
                    {canOperate && <AccountBotControls account={account} onDone={setNotice} />}
                    {canManage &&
                      (account.status === "ACTIVE" ? (
                        <ConfirmButton
                          label="Disable"
                          title={`Disable ${account.name}?`}
                          confirmLabel="Disable and stop its bots"
                          disabled={disable.isPending}
                          onConfirm={() => disable.mutate({ accountId: account.id })}
                        >
                          <p>
                            Every bot on this account is stopped: the engine cancels its open orders and will not open
                            a connection with these keys while the account is disabled.
                          </p>
                          <p className="mt-2 text-neutral-400">
                            {account.bots === 0 ? "It has no bots." : `It has ${account.bots} bot${account.bots === 1 ? "" : "s"}.`}{" "}
                            Enabling it again later leaves the bots stopped until someone starts them.
                          </p>
                        </ConfirmButton>
                      ) : (
                        <button
                          type="button"
                          disabled={enable.isPending}
                          onClick={() => enable.mutate({ accountId: account.id })}
                          className={buttonClass.secondary}
                        >
                          Enable
                        </button>
                      ))}
                  </div>
                </td>
              </tr>
              {openBalances === account.id && (
                <tr>
                  <td colSpan={5} className="bg-neutral-900/40 px-3 py-2">
                    <BalancesPanel accountId={account.id} />
                  </td>
                </tr>
              )}
            </Fragment>
          ))}
        </DataTable>
      )}
    </div>
  );
}
