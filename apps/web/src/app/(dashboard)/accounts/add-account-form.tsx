"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { Field, FormActions, InputField, Notice, type Problem, formText, inputClass, problemOf } from "~/components/forms";
import { useTRPC } from "~/trpc/react";

const VENUES = [
  { value: "SIMULATOR", label: "Simulator (paper trading)" },
  { value: "BINANCE_TESTNET", label: "Binance Spot testnet" },
  { value: "BINANCE_MAINNET", label: "Binance Spot (real funds)" },
] as const;

type VenueChoice = (typeof VENUES)[number]["value"];

export function AddAccountForm({ onAdded, onCancel }: { onAdded: (name: string) => void; onCancel: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [venue, setVenue] = useState<VenueChoice>("SIMULATOR");
  const [problem, setProblem] = useState<Problem | null>(null);
  const create = useMutation(
    trpc.accounts.create.mutationOptions({
      onSuccess: async (account) => {
        await queryClient.invalidateQueries({ queryKey: trpc.accounts.list.queryKey() });
        onAdded(account.name);
      },
      onError: (error) => setProblem(problemOf(error)),
    }),
  );

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setProblem(null);
    const baseUrl = formText(form, "baseUrl").trim();
    create.mutate({
      name: formText(form, "name"),
      venue,
      apiKey: formText(form, "apiKey"),
      apiSecret: formText(form, "apiSecret"),
      ...(venue === "SIMULATOR" && baseUrl ? { baseUrl } : {}),
    });
  }

  const error = (field: string) => problem?.fields[field];
  return (
    <form
      onSubmit={submit}
      noValidate
      aria-label="Add an exchange account"
      className="space-y-3 rounded-md border border-neutral-800 bg-neutral-900/40 p-4"
    >
      <h2 className="font-semibold text-neutral-100">Add an exchange account</h2>
      {problem && <Notice tone="error">{problem.message}</Notice>}
      <div className="grid gap-3 sm:grid-cols-2">
        <InputField id="account-name" label="Name" error={error("name")} hint="How the team will call it, e.g. “Desk main”." name="name" required maxLength={60} />
        <Field id="account-venue" label="Venue" error={error("venue")}>
          <select
            id="account-venue"
            name="venue"
            value={venue}
            onChange={(event) => setVenue(event.target.value as VenueChoice)}
            className={inputClass}
          >
            {VENUES.map((option) => (
              <option key={option.value} value={option.value}>
                {option.label}
              </option>
            ))}
          </select>
        </Field>
        <InputField id="account-key" label="API key" error={error("apiKey")} mono name="apiKey" required autoComplete="off" spellCheck={false} />
        <InputField
          id="account-secret"
          label="API secret"
          error={error("apiSecret")}
          hint="Never shown again after saving."
          mono
          name="apiSecret"
          type="password"
          required
          autoComplete="new-password"
          spellCheck={false}
        />
        {venue === "SIMULATOR" && (
          <InputField
            id="account-url"
            label="Simulator address (optional)"
            error={error("baseUrl")}
            hint="Leave empty for the simulator this dashboard was started with."
            mono
            name="baseUrl"
            type="url"
            placeholder="http://127.0.0.1:8765"
          />
        )}
      </div>
      {venue === "BINANCE_MAINNET" && (
        <Notice tone="warning">
          Real funds. Give the key Spot trading and reading only, never withdrawals, and restrict it to this server’s IP.
        </Notice>
      )}
      <FormActions
        submitLabel="Check keys and add"
        pendingLabel="Checking the keys with the exchange…"
        pending={create.isPending}
        onCancel={onCancel}
      />
    </form>
  );
}
