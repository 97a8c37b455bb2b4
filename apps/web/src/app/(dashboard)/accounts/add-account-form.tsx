"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { Field, FormActions, InputField, Notice, type Problem, formText, inputClass, invalidProps, problemOf } from "~/components/forms";
import { useTRPC } from "~/trpc/react";

const VENUES = [
  { value: "SIMULATOR", label: "Simulator (keys you already have)" },
  { value: "PAPER", label: "Paper account on the bundled simulator" },
  { value: "BINANCE_TESTNET", label: "Binance Spot testnet" },
  { value: "BINANCE_DEMO", label: "Binance demo trading (real prices, paper funds)" },
  { value: "BINANCE_MAINNET", label: "Binance Spot (real funds)" },
] as const;

type VenueChoice = (typeof VENUES)[number]["value"];

const KEY_TYPES = [
  { value: "HMAC", label: "HMAC (API key and secret)" },
  { value: "ED25519", label: "Ed25519 (API key and private key)" },
] as const;

type KeyTypeChoice = (typeof KEY_TYPES)[number]["value"];

// The bundled simulator's assets (its pairs are BTCUSDT, ETHUSDT and BNBUSDT) with starting amounts that let a
// bot quote 10,000 USDT a side on each pair.
const PAPER_BALANCES = [
  { asset: "USDT", initial: "1000000" },
  { asset: "BTC", initial: "10" },
  { asset: "ETH", initial: "200" },
  { asset: "BNB", initial: "1000" },
] as const;

export function AddAccountForm({ onAdded, onCancel }: { onAdded: (name: string) => void; onCancel: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [venue, setVenue] = useState<VenueChoice>("SIMULATOR");
  const [keyType, setKeyType] = useState<KeyTypeChoice>("HMAC");
  const [problem, setProblem] = useState<Problem | null>(null);
  const callbacks = {
    onSuccess: async (account: { name: string }) => {
      await queryClient.invalidateQueries({ queryKey: trpc.accounts.list.queryKey() });
      onAdded(account.name);
    },
    onError: (error: unknown) => setProblem(problemOf(error)),
  };
  const create = useMutation(trpc.accounts.create.mutationOptions(callbacks));
  const createPaper = useMutation(trpc.accounts.createPaper.mutationOptions(callbacks));

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setProblem(null);
    if (venue === "PAPER") {
      const amount = (asset: (typeof PAPER_BALANCES)[number]["asset"]) => formText(form, `balance-${asset}`);
      createPaper.mutate({
        name: formText(form, "name"),
        balances: { USDT: amount("USDT"), BTC: amount("BTC"), ETH: amount("ETH"), BNB: amount("BNB") },
      });
      return;
    }
    const baseUrl = formText(form, "baseUrl").trim();
    create.mutate({
      name: formText(form, "name"),
      venue,
      keyType,
      apiKey: formText(form, "apiKey"),
      ...(keyType === "HMAC" ? { apiSecret: formText(form, "apiSecret") } : { ed25519PrivateKey: formText(form, "ed25519PrivateKey") }),
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
        {venue === "PAPER" ? (
          PAPER_BALANCES.map(({ asset, initial }) => (
            <InputField
              key={asset}
              id={`account-balance-${asset}`}
              label={`Starting ${asset}`}
              error={error(`balances.${asset}`)}
              name={`balance-${asset}`}
              defaultValue={initial}
              inputMode="decimal"
              autoComplete="off"
            />
          ))
        ) : (
          <>
            <Field id="account-key-type" label="Key type" error={error("keyType")} hint="As the exchange made the key: Binance offers both.">
              <select
                id="account-key-type"
                name="keyType"
                value={keyType}
                onChange={(event) => setKeyType(event.target.value as KeyTypeChoice)}
                className={inputClass}
              >
                {KEY_TYPES.map((option) => (
                  <option key={option.value} value={option.value}>
                    {option.label}
                  </option>
                ))}
              </select>
            </Field>
            <InputField id="account-key" label="API key" error={error("apiKey")} mono name="apiKey" required autoComplete="off" spellCheck={false} />
            {keyType === "HMAC" ? (
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
            ) : (
              <Field
                id="account-private-key"
                label="Ed25519 private key (PEM)"
                error={error("ed25519PrivateKey")}
                hint="The private key whose public key you registered for this API key. Stored encrypted, never shown again."
              >
                <textarea
                  id="account-private-key"
                  name="ed25519PrivateKey"
                  rows={4}
                  required
                  autoComplete="off"
                  spellCheck={false}
                  placeholder={"-----BEGIN PRIVATE KEY-----\n…\n-----END PRIVATE KEY-----"}
                  className={`${inputClass} font-mono text-xs`}
                  {...invalidProps("account-private-key", error("ed25519PrivateKey"))}
                />
              </Field>
            )}
          </>
        )}
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
      {venue === "PAPER" && (
        <Notice tone="info">
          The simulator this dashboard runs with creates the account with these balances and keeps it across restarts;
          its keys are made here and stored encrypted. A bot quoting 10,000 USDT a side needs that much of the quote
          and of the base asset.
        </Notice>
      )}
      {venue === "BINANCE_DEMO" && (
        <Notice tone="info">
          Binance&rsquo;s demo trading: real market data with paper funds. Make its keys on Binance&rsquo;s demo trading
          site; keys of your real account do not work there.
        </Notice>
      )}
      {venue === "BINANCE_MAINNET" && (
        <Notice tone="warning">
          Real funds. Give the key Spot trading and reading only, never withdrawals, and restrict it to this server’s IP.
        </Notice>
      )}
      <FormActions
        submitLabel={venue === "PAPER" ? "Create paper account" : "Check keys and add"}
        pendingLabel={venue === "PAPER" ? "Creating the account on the simulator…" : "Checking the keys with the exchange…"}
        pending={create.isPending || createPaper.isPending}
        onCancel={onCancel}
      />
    </form>
  );
}
