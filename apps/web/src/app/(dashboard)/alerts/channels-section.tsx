"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Fragment, useState } from "react";
import { ConfirmButton } from "~/components/confirm-button";
import { EmptyState, Notice, buttonClass, problemOf, tableClass } from "~/components/forms";
import type { AlertChannelItem } from "~/server/routers/alerts/list-channels";
import { useTRPC } from "~/trpc/react";
import { AddChannelForm, CHANNEL_TYPES, recipientsOf } from "./channel-form";
import { DeliveryAttempts } from "./deliveries";

type Message = { tone: "success" | "error"; text: string; secret?: string };

export function ChannelsSection({ canManage, role }: { canManage: boolean; role: string | undefined }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  // Test notices are sent by the engine within seconds: keep their status current.
  const channels = useQuery({ ...trpc.alerts.channels.queryOptions(), refetchInterval: 2_000 });
  const [adding, setAdding] = useState(false);
  const [message, setMessage] = useState<Message | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.alerts.channels.queryKey() });
  const failed = (error: unknown) => setMessage({ tone: "error", text: problemOf(error).message });

  const sendTest = useMutation(
    trpc.alerts.sendTest.mutationOptions({
      onSuccess: async (delivery) => {
        await refresh();
        setMessage({ tone: "success", text: `Test notice queued for ${delivery.channel.name}: its attempts show under the channel.` });
      },
      onError: failed,
    }),
  );
  const update = useMutation(trpc.alerts.updateChannel.mutationOptions({ onSuccess: refresh, onError: failed }));
  const makeDefault = useMutation(trpc.alerts.setDefaultChannel.mutationOptions({ onSuccess: refresh, onError: failed }));
  const rotate = useMutation(
    trpc.alerts.rotateSecret.mutationOptions({
      onSuccess: (result) => setMessage({ tone: "success", text: "New signing secret made; the old one no longer verifies.", secret: result.secret }),
      onError: failed,
    }),
  );
  const remove = useMutation(
    trpc.alerts.deleteChannel.mutationOptions({
      onSuccess: async () => {
        await refresh();
        await queryClient.invalidateQueries({ queryKey: trpc.alerts.rules.queryKey() });
      },
      onError: failed,
    }),
  );

  function toggle(channel: AlertChannelItem) {
    const base = { channelId: channel.id, name: channel.name, enabled: !channel.enabled };
    if (channel.type === "EMAIL") update.mutate({ ...base, type: "EMAIL", config: { recipients: recipientsOf(channel.target) } });
    else if (channel.type === "WEBHOOK") update.mutate({ ...base, type: "WEBHOOK", config: { url: channel.target, format: "json" } });
    else if (channel.type === "SLACK") update.mutate({ ...base, type: "SLACK", config: { url: channel.target, format: "slack" } });
    else update.mutate({ ...base, type: "WECOM", config: { url: channel.target, format: channel.format === "feishu" ? "feishu" : "wecom" } });
  }

  return (
    <section aria-labelledby="alert-channels" className="space-y-3">
      <h2 id="alert-channels" className="font-semibold text-neutral-100">
        Channels
      </h2>
      {message && (
        <Notice tone={message.tone}>
          {message.text}
          {message.secret && (
            <span className="mt-1 block">
              Signing secret (shown only now; receivers check <code>X-Bandkeeper-Signature</code> with it):{" "}
              <code className="select-all break-all font-mono text-neutral-100" data-testid="webhook-secret">
                {message.secret}
              </code>
            </span>
          )}
        </Notice>
      )}
      {canManage ? (
        adding ? (
          <AddChannelForm
            onAdded={(name, secret) => {
              setAdding(false);
              setMessage({ tone: "success", text: `Channel ${name} added.`, ...(secret ? { secret } : {}) });
            }}
            onCancel={() => setAdding(false)}
          />
        ) : (
          <button type="button" onClick={() => setAdding(true)} className={buttonClass.primary}>
            Add channel
          </button>
        )
      ) : (
        role && <p className="text-xs text-neutral-500">Owners and admins manage channels; your role ({role}) can view them.</p>
      )}
      {channels.isPending ? (
        <p className="text-neutral-500">Loading channels…</p>
      ) : channels.isError ? (
        <Notice tone="error">Could not load the channels: {channels.error.message}</Notice>
      ) : channels.data.length === 0 ? (
        <EmptyState title="No channels yet">Add an email address or a webhook, then attach it to rules below.</EmptyState>
      ) : (
        <div className={tableClass.wrapper}>
          <table className="w-full">
            <thead className={tableClass.head}>
              <tr>
                <th className={tableClass.headCell}>Name</th>
                <th className={tableClass.headCell}>Type</th>
                <th className={tableClass.headCell}>Sends to</th>
                <th className={tableClass.headCell}>Rules</th>
                {canManage && <th className={tableClass.headCell}>Actions</th>}
              </tr>
            </thead>
            <tbody className={tableClass.body}>
              {channels.data.map((channel) => (
                <Fragment key={channel.id}>
                  <tr data-testid="alert-channel">
                    <td className={tableClass.cell}>
                      <span className="font-medium text-neutral-100">{channel.name}</span>
                      {channel.isDefault && (
                        <span className="ml-2 text-xs text-emerald-300" title="New rules without channels of their own use it">
                          default
                        </span>
                      )}
                      {!channel.enabled && <span className="ml-2 text-xs text-amber-300">disabled</span>}
                    </td>
                    <td className={tableClass.cell}>
                      {CHANNEL_TYPES.find((t) => t.value === channel.type)?.label ?? channel.type}
                      {channel.format === "feishu" && " (Feishu)"}
                      {channel.signed && <span className="ml-1 text-xs text-neutral-500">signed</span>}
                    </td>
                    <td className={`${tableClass.cell} break-all font-mono text-xs text-neutral-300`}>{channel.target}</td>
                    <td className={tableClass.cell}>{channel.rules}</td>
                    {canManage && (
                      <td className={`${tableClass.cell} whitespace-nowrap`}>
                        <div className="flex gap-1">
                          <button
                            type="button"
                            className={buttonClass.quiet}
                            disabled={sendTest.isPending}
                            onClick={() => {
                              setMessage(null);
                              sendTest.mutate({ channelId: channel.id });
                            }}
                          >
                            Send test
                          </button>
                          {!channel.isDefault && (
                            <button type="button" className={buttonClass.quiet} disabled={makeDefault.isPending} onClick={() => makeDefault.mutate({ channelId: channel.id })}>
                              Make default
                            </button>
                          )}
                          <button type="button" className={buttonClass.quiet} disabled={update.isPending} onClick={() => toggle(channel)}>
                            {channel.enabled ? "Disable" : "Enable"}
                          </button>
                          {channel.type === "WEBHOOK" && (
                            <ConfirmButton
                              label="New secret"
                              title={`Replace the signing secret of ${channel.name}?`}
                              confirmLabel="Replace secret"
                              tone="primary"
                              buttonStyle="quiet"
                              onConfirm={() => rotate.mutate({ channelId: channel.id })}
                            >
                              The receiver must switch to the new secret: notices signed with it fail the old one’s check.
                            </ConfirmButton>
                          )}
                          <ConfirmButton
                            label="Delete"
                            title={`Delete the channel ${channel.name}?`}
                            confirmLabel="Delete channel"
                            buttonStyle="quiet"
                            onConfirm={() => remove.mutate({ channelId: channel.id })}
                          >
                            Rules that use it keep their other channels; its delivery history goes with it.
                          </ConfirmButton>
                        </div>
                      </td>
                    )}
                  </tr>
                  {channel.recentTests.length > 0 && (
                    <tr>
                      <td colSpan={canManage ? 5 : 4} className={`${tableClass.cell} pb-2`}>
                        <ul className="space-y-1" aria-label={`Test notices of ${channel.name}`}>
                          {channel.recentTests.map((delivery) => (
                            <DeliveryAttempts key={delivery.id} delivery={delivery} showChannel={false} />
                          ))}
                        </ul>
                      </td>
                    </tr>
                  )}
                </Fragment>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
