"use client";

import { ALERT_RULE_KIND_INFO, ALERT_RULE_KINDS, type AlertRuleInput, type AlertRuleKind } from "@bandkeeper/core/alerts";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { Field, FormActions, Notice, type Problem, formText, inputClass, invalidProps, problemOf } from "~/components/forms";
import type { AlertRuleItem } from "~/server/routers/alerts/list-rules";
import { useTRPC } from "~/trpc/react";

/** Ratios are typed as percentages; a blank field is null. */
function thresholdFromForm(kind: AlertRuleKind, text: string): number | null {
  if (text.trim() === "") return null;
  const info = ALERT_RULE_KIND_INFO[kind];
  const value = Number(text);
  return info.metric && info.unit === "ratio" ? value / 100 : value;
}

function thresholdForForm(rule: AlertRuleItem | null): string {
  if (!rule || rule.threshold === null) return "";
  const info = ALERT_RULE_KIND_INFO[rule.kind];
  return info.metric && info.unit === "ratio" ? String(Number((rule.threshold * 100).toFixed(6))) : String(rule.threshold);
}

const numberOrNull = (text: string) => (text.trim() === "" ? null : Number(text));

export function RuleForm({ rule, onDone }: { rule: AlertRuleItem | null; onDone: (message: string) => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const bots = useQuery(trpc.bots.list.queryOptions());
  const channels = useQuery(trpc.alerts.channels.queryOptions());
  const [kind, setKind] = useState<AlertRuleKind>(rule?.kind ?? "TWO_SIDED_BELOW");
  const [problem, setProblem] = useState<Problem | null>(null);
  const done = (text: string) => async () => {
    await queryClient.invalidateQueries({ queryKey: trpc.alerts.rules.queryKey() });
    onDone(text);
  };
  const onError = (error: unknown) => {
    const found = problemOf(error);
    // An update names fields under "rule."; the form's fields are the same.
    setProblem({ ...found, fields: Object.fromEntries(Object.entries(found.fields).map(([path, message]) => [path.replace(/^rule\./, ""), message])) });
  };
  const create = useMutation(trpc.alerts.createRule.mutationOptions({ onSuccess: done("Rule added."), onError }));
  const update = useMutation(trpc.alerts.updateRule.mutationOptions({ onSuccess: done("Rule saved."), onError }));
  const info = ALERT_RULE_KIND_INFO[kind];

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setProblem(null);
    const input: AlertRuleInput = {
      name: formText(form, "name"),
      kind,
      botId: formText(form, "botId") || null,
      threshold: info.metric ? thresholdFromForm(kind, formText(form, "threshold")) : null,
      windowSeconds: numberOrNull(formText(form, "windowSeconds")),
      escalateAfterMinutes: numberOrNull(formText(form, "escalateAfterMinutes")),
      enabled: form.get("enabled") === "on",
      channelIds: form.getAll("channelIds").filter((value): value is string => typeof value === "string"),
    };
    if (rule) update.mutate({ ruleId: rule.id, rule: input });
    else create.mutate(input);
  }

  const error = (field: string) => problem?.fields[field];
  const pending = create.isPending || update.isPending;
  const selected = new Set(rule?.channels.map((c) => c.id) ?? []);
  return (
    <form onSubmit={submit} noValidate aria-label={rule ? `Edit rule ${rule.name}` : "Add an alert rule"} className="space-y-3 rounded-md border border-neutral-800 bg-neutral-900/40 p-4">
      <h3 className="font-semibold text-neutral-100">{rule ? `Edit “${rule.name}”` : "Add a rule"}</h3>
      {problem && <Notice tone="error">{problem.message}</Notice>}
      <div className="grid gap-3 sm:grid-cols-2">
        <Field id="rule-name" label="Name" error={error("name")}>
          <input id="rule-name" name="name" defaultValue={rule?.name ?? ""} maxLength={100} className={inputClass} {...invalidProps("rule-name", error("name"))} />
        </Field>
        <Field id="rule-kind" label="Alert when" error={error("kind")}>
          <select id="rule-kind" name="kind" value={kind} onChange={(event) => setKind(event.target.value as AlertRuleKind)} className={inputClass}>
            {ALERT_RULE_KINDS.map((value) => (
              <option key={value} value={value}>
                {ALERT_RULE_KIND_INFO[value].label}
              </option>
            ))}
          </select>
        </Field>
        <Field id="rule-bot" label="Bots" error={error("botId")}>
          <select id="rule-bot" name="botId" defaultValue={rule?.bot?.id ?? ""} className={inputClass}>
            <option value="">Every bot of the team</option>
            {bots.data?.map((bot) => (
              <option key={bot.id} value={bot.id}>
                {bot.symbol} ({bot.account.name})
              </option>
            ))}
          </select>
        </Field>
        {info.metric && (
          <Field
            id="rule-threshold"
            label={info.unit === "ratio" ? "Threshold (%)" : "Threshold (ms)"}
            error={error("threshold")}
            hint={info.unit === "ratio" ? "e.g. 99.9" : "e.g. 100"}
          >
            <input id="rule-threshold" name="threshold" inputMode="decimal" defaultValue={thresholdForForm(rule)} className={inputClass} {...invalidProps("rule-threshold", error("threshold"))} />
          </Field>
        )}
        <Field
          id="rule-window"
          label={info.metric ? "Window (seconds)" : "Grace period (seconds, optional)"}
          error={error("windowSeconds")}
          hint={info.metric ? "The trailing window the KPI is measured over, e.g. 300." : "How long the condition must last before it alerts."}
        >
          <input id="rule-window" name="windowSeconds" inputMode="numeric" defaultValue={rule?.windowSeconds ?? (info.metric ? 300 : "")} className={inputClass} {...invalidProps("rule-window", error("windowSeconds"))} />
        </Field>
        <Field id="rule-escalate" label="Escalate after (minutes, optional)" error={error("escalateAfterMinutes")} hint="Notify once more while nobody has acknowledged it.">
          <input id="rule-escalate" name="escalateAfterMinutes" inputMode="numeric" defaultValue={rule?.escalateAfterMinutes ?? ""} className={inputClass} {...invalidProps("rule-escalate", error("escalateAfterMinutes"))} />
        </Field>
      </div>
      <fieldset>
        <legend className="text-xs font-medium uppercase tracking-wide text-neutral-400">Channels</legend>
        {error("channelIds") && <p className="mt-1 text-xs text-red-300">{error("channelIds")}</p>}
        <div className="mt-1 flex flex-wrap gap-3">
          {channels.data?.length === 0 && <span className="text-neutral-500">No channels yet: add one above (the first becomes the team’s default).</span>}
          {channels.data?.map((channel) => (
            <label key={channel.id} className="flex items-center gap-1.5 text-neutral-200">
              {/* A new rule starts with the team's default channel; with none ticked the server uses it too. */}
              <input type="checkbox" name="channelIds" value={channel.id} defaultChecked={rule ? selected.has(channel.id) : channel.isDefault} />
              {channel.name}
              {channel.isDefault && <span className="text-xs text-emerald-300">default</span>}
            </label>
          ))}
        </div>
      </fieldset>
      <label className="flex items-center gap-1.5 text-neutral-200">
        <input type="checkbox" name="enabled" defaultChecked={rule?.enabled ?? true} /> Enabled
      </label>
      <FormActions submitLabel={rule ? "Save rule" : "Add rule"} pendingLabel="Saving…" pending={pending} onCancel={() => onDone("")} />
    </form>
  );
}
