"use client";

import { ALERT_RULE_KIND_INFO, formatValue, formatWindow } from "@bandkeeper/core/alerts";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { ConfirmButton } from "~/components/confirm-button";
import { EmptyState, Notice, buttonClass, problemOf, tableClass } from "~/components/forms";
import type { AlertRuleItem } from "~/server/routers/alerts/list-rules";
import { useTRPC } from "~/trpc/react";
import { RuleForm } from "./rule-form";

function condition(rule: AlertRuleItem): string {
  const info = ALERT_RULE_KIND_INFO[rule.kind];
  if (!info.metric || rule.threshold === null) {
    return rule.windowSeconds ? `${info.label}, for ${formatWindow(rule.windowSeconds)}` : info.label;
  }
  return `${info.label} ${formatValue(rule.kind, rule.threshold)}${rule.windowSeconds ? ` over ${formatWindow(rule.windowSeconds)}` : ""}`;
}

export function RulesSection({ canManage }: { canManage: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const rules = useQuery(trpc.alerts.rules.queryOptions());
  const [editing, setEditing] = useState<AlertRuleItem | "new" | null>(null);
  const [message, setMessage] = useState<{ tone: "success" | "error"; text: string } | null>(null);
  const remove = useMutation(
    trpc.alerts.deleteRule.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries({ queryKey: trpc.alerts.rules.queryKey() });
        setMessage({ tone: "success", text: "Rule deleted." });
      },
      onError: (error) => setMessage({ tone: "error", text: problemOf(error).message }),
    }),
  );

  return (
    <section aria-labelledby="alert-rules" className="space-y-3">
      <h2 id="alert-rules" className="font-semibold text-neutral-100">
        Rules
      </h2>
      <p className="text-xs text-neutral-500">
        A KPI rule opens an alert as soon as the KPI crosses its threshold and closes it only once the KPI has been clearly
        back (a tenth of the way to perfect) for three evaluations, so a KPI hovering at its threshold alerts once.
      </p>
      {message && message.text && <Notice tone={message.tone}>{message.text}</Notice>}
      {canManage &&
        (editing ? (
          <RuleForm
            key={editing === "new" ? "new" : editing.id}
            rule={editing === "new" ? null : editing}
            onDone={(text) => {
              setEditing(null);
              setMessage(text ? { tone: "success", text } : null);
            }}
          />
        ) : (
          <button type="button" onClick={() => setEditing("new")} className={buttonClass.primary}>
            Add rule
          </button>
        ))}
      {rules.isPending ? (
        <p className="text-neutral-500">Loading rules…</p>
      ) : rules.isError ? (
        <Notice tone="error">Could not load the rules: {rules.error.message}</Notice>
      ) : rules.data.length === 0 ? (
        <EmptyState title="No rules">Without rules nothing is watched.</EmptyState>
      ) : (
        <div className={tableClass.wrapper}>
          <table className="w-full">
            <thead className={tableClass.head}>
              <tr>
                <th className={tableClass.headCell}>Rule</th>
                <th className={tableClass.headCell}>Alerts when</th>
                <th className={tableClass.headCell}>Bots</th>
                <th className={tableClass.headCell}>Channels</th>
                <th className={tableClass.headCell}>Open</th>
                {canManage && <th className={tableClass.headCell}>Actions</th>}
              </tr>
            </thead>
            <tbody className={tableClass.body}>
              {rules.data.map((rule) => (
                <tr key={rule.id} data-testid="alert-rule">
                  <td className={tableClass.cell}>
                    <span className="font-medium text-neutral-100">{rule.name}</span>
                    {!rule.enabled && <span className="ml-2 text-xs text-amber-300">disabled</span>}
                  </td>
                  <td className={tableClass.cell}>
                    {condition(rule)}
                    {rule.escalateAfterMinutes !== null && <span className="block text-xs text-neutral-500">escalates after {rule.escalateAfterMinutes} min unacknowledged</span>}
                  </td>
                  <td className={tableClass.cell}>{rule.bot?.symbol ?? "all"}</td>
                  <td className={tableClass.cell}>{rule.channels.length === 0 ? <span className="text-neutral-500">none</span> : rule.channels.map((c) => c.name).join(", ")}</td>
                  <td className={tableClass.cell}>{rule.openAlerts > 0 ? <span className="text-red-300">{rule.openAlerts}</span> : "0"}</td>
                  {canManage && (
                    <td className={`${tableClass.cell} whitespace-nowrap`}>
                      <div className="flex gap-1">
                        <button type="button" className={buttonClass.quiet} onClick={() => setEditing(rule)}>
                          Edit
                        </button>
                        <ConfirmButton
                          label="Delete"
                          title={`Delete the rule ${rule.name}?`}
                          confirmLabel="Delete rule"
                          buttonStyle="quiet"
                          onConfirm={() => remove.mutate({ ruleId: rule.id })}
                        >
                          Its alert history goes with it. Disable it instead to keep the history.
                        </ConfirmButton>
                      </div>
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
