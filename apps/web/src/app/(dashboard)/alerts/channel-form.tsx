"use client";

import type { AlertChannelType } from "@bandkeeper/core/alerts";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { Field, FormActions, InputField, Notice, type Problem, formText, inputClass, invalidProps, problemOf } from "~/components/forms";
import { useTRPC } from "~/trpc/react";

export const CHANNEL_TYPES: readonly { value: AlertChannelType; label: string }[] = [
  { value: "EMAIL", label: "Email" },
  { value: "WEBHOOK", label: "Webhook (signed JSON)" },
  { value: "SLACK", label: "Slack incoming webhook" },
  { value: "WECOM", label: "WeCom or Feishu bot" },
];

/** Recipients typed one per line or separated by commas. */
export function recipientsOf(text: string): string[] {
  return text
    .split(/[\n,;]/)
    .map((part) => part.trim())
    .filter((part) => part !== "");
}

export function AddChannelForm({ onAdded, onCancel }: { onAdded: (name: string, secret: string | null) => void; onCancel: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [type, setType] = useState<AlertChannelType>("EMAIL");
  const [problem, setProblem] = useState<Problem | null>(null);
  const create = useMutation(
    trpc.alerts.createChannel.mutationOptions({
      onSuccess: async (channel) => {
        await queryClient.invalidateQueries({ queryKey: trpc.alerts.channels.queryKey() });
        // A team's first channel joins the rules that had none.
        if (channel.isDefault) await queryClient.invalidateQueries({ queryKey: trpc.alerts.rules.queryKey() });
        onAdded(channel.name, channel.secret);
      },
      onError: (error) => setProblem(problemOf(error)),
    }),
  );

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setProblem(null);
    const name = formText(form, "name");
    const url = formText(form, "url");
    switch (type) {
      case "EMAIL":
        create.mutate({ name, type, config: { recipients: recipientsOf(formText(form, "recipients")) } });
        break;
      case "WEBHOOK":
        create.mutate({ name, type, config: { url, format: "json" } });
        break;
      case "SLACK":
        create.mutate({ name, type, config: { url, format: "slack" } });
        break;
      case "WECOM":
        create.mutate({ name, type, config: { url, format: formText(form, "format") === "feishu" ? "feishu" : "wecom" } });
        break;
    }
  }

  const error = (field: string) => problem?.fields[field];
  // A bad address is named by its index (config.recipients.2): shown under the one recipients field.
  const recipientsError =
    error("config.recipients") ??
    Object.entries(problem?.fields ?? {})
      .filter(([path]) => path.startsWith("config.recipients."))
      .map(([path, message]) => `Recipient ${Number(path.split(".")[2]) + 1}: ${message}`)
      .join(" ");
  return (
    <form onSubmit={submit} noValidate aria-label="Add an alert channel" className="space-y-3 rounded-md border border-neutral-800 bg-neutral-900/40 p-4">
      <h3 className="font-semibold text-neutral-100">Add a channel</h3>
      {problem && <Notice tone="error">{problem.message}</Notice>}
      <div className="grid gap-3 sm:grid-cols-2">
        <InputField id="channel-name" label="Name" error={error("name")} hint="e.g. “Desk on-call”." name="name" required maxLength={60} />
        <Field id="channel-type" label="Type" error={error("type")}>
          <select id="channel-type" name="type" value={type} onChange={(event) => setType(event.target.value as AlertChannelType)} className={inputClass}>
            {CHANNEL_TYPES.map((option) => (
              <option key={option.value} value={option.value}>
                {option.label}
              </option>
            ))}
          </select>
        </Field>
        {type === "EMAIL" ? (
          <Field id="channel-recipients" label="Recipients" error={recipientsError || undefined} hint="One address per line, or separated by commas.">
            <textarea id="channel-recipients" name="recipients" rows={2} className={inputClass} {...invalidProps("channel-recipients", recipientsError || undefined)} />
          </Field>
        ) : (
          <InputField
            id="channel-url"
            label="Webhook URL"
            error={error("config.url")}
            hint={type === "WEBHOOK" ? "Receives a JSON POST signed with a secret shown once after saving." : "The incoming-webhook URL the chat tool gave you."}
            mono
            name="url"
            type="url"
            placeholder="https://"
          />
        )}
        {type === "WECOM" && (
          <Field id="channel-format" label="Chat tool" error={error("config.format")}>
            <select id="channel-format" name="format" className={inputClass}>
              <option value="wecom">WeCom (企业微信)</option>
              <option value="feishu">Feishu / Lark</option>
            </select>
          </Field>
        )}
      </div>
      <FormActions submitLabel="Add channel" pendingLabel="Saving…" pending={create.isPending} onCancel={onCancel} />
    </form>
  );
}
