"use client";

import { defaultBotConfig, diffConfigs } from "@bandkeeper/core/config";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useMemo, useState } from "react";
import { BOT_DESIRED_STATES, type BotDesiredState } from "~/lib/bot-state";
import { useTRPC } from "~/trpc/react";
import { EmptyState, Notice, type Problem, problemOf } from "~/components/forms";
import { type ConfigTexts, configToTexts, textsToConfig } from "../_lib/config-form";
import { configFieldErrors, inputClass } from "../_lib/ui";
import { ConfigEditor } from "./config-editor";
import { ProposalPanel } from "./proposal-panel";

const SYMBOL = /^[A-Z0-9]{2,20}$/;
const defaultTexts = configToTexts(defaultBotConfig);

// Creating a bot is a change request too: account, symbol, the state it starts in and its first config.
export function NewBotForm() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const options = useQuery(trpc.changes.newBotOptions.queryOptions());
  const [accountId, setAccountId] = useState("");
  const [symbol, setSymbol] = useState("");
  const [initialState, setInitialState] = useState<BotDesiredState>("STOPPED");
  const [texts, setTexts] = useState<ConfigTexts>(defaultTexts);
  const [reason, setReason] = useState("");
  const [problem, setProblem] = useState<Problem | null>(null);
  const result = useMemo(() => textsToConfig(texts), [texts]);
  // The venue's own list for the chosen account (its exchangeInfo): offered as the symbol's choices, with filters.
  const chosenAccountId = accountId || options.data?.accounts[0]?.id || "";
  const listed = useQuery({
    ...trpc.bots.venueSymbols.queryOptions({ exchangeAccountId: chosenAccountId }),
    enabled: chosenAccountId !== "",
    staleTime: 300_000,
    retry: false,
  });
  const propose = useMutation(
    trpc.changes.proposeBot.mutationOptions({
      onSuccess: async (request) => {
        await queryClient.invalidateQueries({ queryKey: trpc.changes.pathKey() });
        router.push(`/changes/${request.id}`);
      },
      onError: (error) => setProblem(problemOf(error)),
    }),
  );

  if (options.isPending) return <p className="text-neutral-500">Loading exchange accounts…</p>;
  if (options.isError) return <Notice tone="error">Could not load exchange accounts: {options.error.message}</Notice>;
  const accounts = options.data.accounts;
  if (accounts.length === 0) {
    return (
      <EmptyState title="No active exchange account">
        A bot quotes on an exchange account. An OWNER or ADMIN adds one under Accounts first.
      </EmptyState>
    );
  }
  const account = accounts.find((candidate) => candidate.id === accountId) ?? accounts[0]!;
  const normalizedSymbol = symbol.trim().toUpperCase();
  const symbolIssue =
    problem?.fields.symbol ??
    (normalizedSymbol === ""
      ? undefined
      : !SYMBOL.test(normalizedSymbol)
        ? "a Binance symbol such as BTCUSDT: 2 to 20 letters and digits"
        : account.symbols.includes(normalizedSymbol)
          ? `${account.name} already has a ${normalizedSymbol} bot`
          : listed.data && !listed.data.some((entry) => entry.symbol === normalizedSymbol)
            ? `${account.name}'s exchange does not list ${normalizedSymbol} for trading`
            : undefined);
  const venueSymbol = listed.data?.find((entry) => entry.symbol === normalizedSymbol);
  const issues = { ...configFieldErrors(problem), ...(result.ok ? {} : Object.fromEntries(result.issues.map((issue) => [issue.path, issue.message]))) };
  const missing = normalizedSymbol === "" ? "Enter a symbol to submit" : symbolIssue ? "Fix the symbol to submit" : undefined;

  function edit(path: string, text: string) {
    setTexts((previous) => ({ ...previous, [path]: text }));
  }

  return (
    <div className="grid gap-4 lg:grid-cols-[minmax(0,1fr)_24rem]">
      <div className="space-y-4">
        <fieldset className="grid gap-x-4 gap-y-2 rounded border border-neutral-800 px-3 pt-1 pb-3 sm:grid-cols-3">
          <legend className="px-1 text-xs font-medium uppercase tracking-wide text-neutral-400">Bot</legend>
          <div>
            <label htmlFor="new-bot-account" className="text-neutral-300">
              Exchange account
            </label>
            <select id="new-bot-account" value={account.id} onChange={(event) => setAccountId(event.target.value)} className={`mt-0.5 ${inputClass}`}>
              {accounts.map((candidate) => (
                <option key={candidate.id} value={candidate.id}>
                  {candidate.name} ({candidate.environment.toLowerCase()})
                </option>
              ))}
            </select>
            <p className="mt-0.5 text-xs text-red-300">{problem?.fields.exchangeAccountId}</p>
          </div>
          <div>
            <label htmlFor="new-bot-symbol" className="text-neutral-300">
              Symbol
            </label>
            <input
              id="new-bot-symbol"
              value={symbol}
              onChange={(event) => {
                setSymbol(event.target.value);
                if (problem?.fields.symbol) setProblem(null);
              }}
              placeholder="BTCUSDT"
              autoComplete="off"
              spellCheck={false}
              list="new-bot-symbols"
              aria-invalid={Boolean(symbolIssue)}
              aria-describedby="new-bot-symbol-note new-bot-symbol-filters"
              className={`mt-0.5 uppercase ${inputClass}`}
            />
            <datalist id="new-bot-symbols">
              {listed.data
                ?.filter((entry) => !account.symbols.includes(entry.symbol))
                .map((entry) => <option key={entry.symbol} value={entry.symbol}>{`${entry.baseAsset} / ${entry.quoteAsset}`}</option>)}
            </datalist>
            <p id="new-bot-symbol-note" className="mt-0.5 text-xs text-red-300">
              {symbolIssue}
            </p>
            <p id="new-bot-symbol-filters" data-testid="symbol-filters" className="mt-0.5 text-xs text-neutral-400">
              {venueSymbol
                ? `${venueSymbol.baseAsset}/${venueSymbol.quoteAsset}: price step ${venueSymbol.tickSize}, quantity step ${venueSymbol.stepSize} (${venueSymbol.minQty} to ${venueSymbol.maxQty}), order value at least ${venueSymbol.minNotional} ${venueSymbol.quoteAsset}${venueSymbol.maxNotional ? `, at most ${venueSymbol.maxNotional}` : ""}`
                : listed.isPending && chosenAccountId !== ""
                  ? "Reading the exchange's symbols…"
                  : listed.isError
                    ? "Could not read the exchange's symbols: type one; it is checked when you propose."
                    : listed.data
                      ? `${listed.data.length} symbols trade on this exchange: start typing to choose.`
                      : null}
            </p>
          </div>
          <div>
            <label htmlFor="new-bot-state" className="text-neutral-300">
              Once approved
            </label>
            <select
              id="new-bot-state"
              value={initialState}
              onChange={(event) => setInitialState(event.target.value as BotDesiredState)}
              className={`mt-0.5 ${inputClass}`}
            >
              {BOT_DESIRED_STATES.map((state) => (
                <option key={state} value={state}>
                  {state === "RUNNING" ? "start quoting (RUNNING)" : state}
                </option>
              ))}
            </select>
          </div>
        </fieldset>
        <ConfigEditor texts={texts} baseTexts={defaultTexts} issues={issues} onChange={edit} />
      </div>
      <aside className="lg:sticky lg:top-16 lg:self-start">
        <ProposalPanel
          changes={result.ok ? diffConfigs(defaultBotConfig, result.config) : null}
          fromLabel="default"
          invalidPaths={result.ok ? [] : result.issues.map((issue) => issue.path)}
          reason={reason}
          reasonIssue={problem?.fields.reason}
          onReason={setReason}
          problem={problem}
          submitting={propose.isPending}
          submitLabel="Propose the new bot"
          requireChanges={false}
          missing={missing}
          onSubmit={() => {
            if (!result.ok) return;
            setProblem(null);
            propose.mutate({ exchangeAccountId: account.id, symbol: normalizedSymbol, initialState, config: result.input, reason });
          }}
        />
      </aside>
    </div>
  );
}
