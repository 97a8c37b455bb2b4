"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { InputField, Notice, type Problem, buttonClass, formText, problemOf } from "~/components/forms";
import { useTRPC } from "~/trpc/react";

// The team's four-eyes and sign-in rules: every member reads them, an owner changes them.
export function TeamRulesSection() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const team = useQuery(trpc.teams.current.queryOptions());
  const rules = useQuery(trpc.teams.security.queryOptions());
  const [problem, setProblem] = useState<Problem | null>(null);
  const [saved, setSaved] = useState(false);
  const update = useMutation(
    trpc.teams.updateSecurity.mutationOptions({
      onSuccess: async () => {
        setSaved(true);
        await queryClient.invalidateQueries({ queryKey: trpc.teams.security.queryKey() });
      },
      onError: (error) => setProblem(problemOf(error)),
    }),
  );
  if (rules.isPending || !team.data) return null;
  if (rules.isError) return <Notice tone="error">Could not load the team&apos;s rules: {rules.error.message}</Notice>;
  const owner = team.data.role === "OWNER";
  const r = rules.data;

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const optional = (name: string) => formText(form, name).trim() || null;
    const whole = (name: string) => {
      const text = formText(form, name).trim();
      return text === "" ? null : Number(text);
    };
    setProblem(null);
    setSaved(false);
    update.mutate({
      approvalCoolingOffHours: whole("approvalCoolingOffHours") ?? 0,
      requireTwoFactor: form.get("requireTwoFactor") === "on",
      riskyMinNotional: optional("riskyMinNotional"),
      riskyMaxSpread: optional("riskyMaxSpread"),
      riskyOrdersPerSide: whole("riskyOrdersPerSide"),
    });
  }

  const error = (field: string) => problem?.fields[field];
  return (
    <section aria-labelledby="rules-heading" className="max-w-2xl space-y-3">
      <h2 id="rules-heading" className="font-semibold text-neutral-100">
        Approval and sign-in rules
      </h2>
      <p className="text-neutral-400">
        Nobody approves their own change. A member who joined by invitation approves nothing for the cooling-off period,
        and inviter and invitee cannot approve each other&apos;s changes within it. Owners hear of every new member and
        role change through the team&apos;s alert channels.
      </p>
      {owner ? (
        <form onSubmit={submit} noValidate aria-label="Approval and sign-in rules" className="space-y-3">
          {saved && <Notice tone="success">Rules saved.</Notice>}
          {problem && Object.keys(problem.fields).length === 0 && <Notice tone="error">{problem.message}</Notice>}
          <InputField
            id="cooling-off"
            label="Cooling-off after joining (hours)"
            hint="0 to 168; 0 turns it off."
            name="approvalCoolingOffHours"
            inputMode="numeric"
            defaultValue={String(r.approvalCoolingOffHours)}
            error={error("approvalCoolingOffHours")}
          />
          <label className="flex items-center gap-2 text-neutral-200">
            <input type="checkbox" name="requireTwoFactor" defaultChecked={r.requireTwoFactor} />
            Require two-factor sign-in for owners and admins (the roles that approve changes and manage accounts)
          </label>
          <fieldset className="space-y-2 rounded border border-neutral-800 p-3">
            <legend className="px-1 text-sm text-neutral-300">A change past any of these needs an owner&apos;s approval or two approvals (empty: no limit)</legend>
            <InputField id="risky-min-notional" label="Minimum notional above" hint="minNotional, in the quote asset" name="riskyMinNotional" defaultValue={r.riskyMinNotional ?? ""} error={error("riskyMinNotional")} mono />
            <InputField id="risky-max-spread" label="Widest spread above" hint="band.maxSpread, as a ratio (0.01 is 1%)" name="riskyMaxSpread" defaultValue={r.riskyMaxSpread ?? ""} error={error("riskyMaxSpread")} mono />
            <InputField id="risky-orders" label="Orders per side above" hint="ordersPerSide" name="riskyOrdersPerSide" inputMode="numeric" defaultValue={r.riskyOrdersPerSide === null ? "" : String(r.riskyOrdersPerSide)} error={error("riskyOrdersPerSide")} mono />
          </fieldset>
          <button type="submit" disabled={update.isPending} className={buttonClass.primary}>
            {update.isPending ? "Saving…" : "Save rules"}
          </button>
        </form>
      ) : (
        <dl className="grid max-w-xl grid-cols-[16rem_1fr] gap-y-1 text-sm">
          <dt className="text-neutral-500">Cooling-off after joining</dt>
          <dd className="text-neutral-200">{r.approvalCoolingOffHours === 0 ? "off" : `${r.approvalCoolingOffHours} hours`}</dd>
          <dt className="text-neutral-500">Two-factor sign-in for owners and admins</dt>
          <dd className="text-neutral-200">{r.requireTwoFactor ? "required" : "not required"}</dd>
          <dt className="text-neutral-500">Risky change limits</dt>
          <dd className="text-neutral-200">
            {[
              r.riskyMinNotional && `minNotional above ${r.riskyMinNotional}`,
              r.riskyMaxSpread && `band.maxSpread above ${r.riskyMaxSpread}`,
              r.riskyOrdersPerSide !== null && `ordersPerSide above ${r.riskyOrdersPerSide}`,
            ]
              .filter(Boolean)
              .join(", ") || "none"}
          </dd>
        </dl>
      )}
    </section>
  );
}
