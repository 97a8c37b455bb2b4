"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { InputField, Notice, type Problem, buttonClass, formText, problemOf } from "~/components/forms";
import { formatDateTime } from "~/lib/format";
import { useTRPC } from "~/trpc/react";

type Step = { kind: "status" } | { kind: "scan"; secret: string; uri: string; qrCode: string } | { kind: "codes"; codes: string[] };

// Two-factor sign-in on the profile: set up (password, scan, first code), the recovery codes shown once, new codes,
// and turning it off (password and a code).
export function TwoFactorSection() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const status = useQuery(trpc.profile.twoFactor.status.queryOptions());
  const [step, setStep] = useState<Step>({ kind: "status" });
  const [problem, setProblem] = useState<Problem | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.profile.pathKey() });
  const onError = (error: unknown) => setProblem(problemOf(error));

  const begin = useMutation(trpc.profile.twoFactor.begin.mutationOptions({ onError, onSuccess: (data) => setStep({ kind: "scan", ...data }) }));
  const confirm = useMutation(
    trpc.profile.twoFactor.confirm.mutationOptions({
      onError,
      onSuccess: async (data) => {
        setStep({ kind: "codes", codes: data.recoveryCodes });
        await refresh();
      },
    }),
  );
  const regenerate = useMutation(
    trpc.profile.twoFactor.regenerateRecoveryCodes.mutationOptions({
      onError,
      onSuccess: async (data) => {
        setStep({ kind: "codes", codes: data.recoveryCodes });
        await refresh();
      },
    }),
  );
  const disable = useMutation(
    trpc.profile.twoFactor.disable.mutationOptions({
      onError,
      onSuccess: async () => {
        setStep({ kind: "status" });
        await refresh();
      },
    }),
  );

  function submitWith(action: (form: FormData) => void) {
    return (event: FormEvent<HTMLFormElement>) => {
      event.preventDefault();
      setProblem(null);
      action(new FormData(event.currentTarget));
    };
  }

  const error = (field: string) => problem?.fields[field];
  const generalProblem = problem && Object.keys(problem.fields).length === 0 ? <Notice tone="error">{problem.message}</Notice> : null;
  const data = status.data;
  return (
    <section aria-labelledby="two-factor-heading" className="max-w-md space-y-3">
      <h2 id="two-factor-heading" className="font-semibold text-neutral-100">
        Two-factor sign-in
      </h2>
      {status.isPending ? (
        <p className="text-neutral-500">Loading…</p>
      ) : status.isError ? (
        <Notice tone="error">Could not load the two-factor settings: {status.error.message}</Notice>
      ) : step.kind === "codes" ? (
        <div className="space-y-3">
          <Notice tone="success">
            Two-factor sign-in is on. Keep these recovery codes somewhere safe (a password manager): each signs you in once
            without the app. They are not shown again.
          </Notice>
          <ol aria-label="Recovery codes" className="grid grid-cols-2 gap-1 rounded border border-neutral-800 p-3 font-mono text-sm text-neutral-100">
            {step.codes.map((code) => (
              <li key={code}>{code}</li>
            ))}
          </ol>
          <button type="button" className={buttonClass.secondary} onClick={() => setStep({ kind: "status" })}>
            I have saved them
          </button>
        </div>
      ) : step.kind === "scan" ? (
        <form onSubmit={submitWith((form) => confirm.mutate({ code: formText(form, "code") }))} noValidate aria-label="Confirm two-factor sign-in" className="space-y-3">
          <p className="text-neutral-300">Scan this code with your authenticator app (1Password, Google Authenticator, Aegis…), then enter the 6-digit code it shows.</p>
          <img src={step.qrCode} alt="QR code for your authenticator app" width={176} height={176} className="rounded bg-white p-2" />
          <p className="text-xs text-neutral-400">
            Cannot scan? Enter this key by hand: <code className="break-all font-mono text-neutral-200" data-testid="totp-secret">{step.secret}</code>
          </p>
          {generalProblem}
          <InputField id="totp-code" label="Code from the app" name="code" inputMode="numeric" autoComplete="one-time-code" error={error("code")} required />
          <div className="flex gap-2">
            <button type="submit" disabled={confirm.isPending} className={buttonClass.primary}>
              {confirm.isPending ? "Checking…" : "Turn on"}
            </button>
            <button type="button" className={buttonClass.quiet} onClick={() => setStep({ kind: "status" })}>
              Cancel
            </button>
          </div>
        </form>
      ) : data?.enabled ? (
        <div className="space-y-4">
          <p className="text-neutral-300">
            On since {data.enabledAt ? `${formatDateTime(data.enabledAt)} UTC` : "—"}. Signing in asks for a code from your app.{" "}
            <span data-testid="recovery-codes-left">{data.recoveryCodesLeft} of 10 recovery codes left.</span>
          </p>
          {generalProblem}
          <form onSubmit={submitWith((form) => regenerate.mutate({ code: formText(form, "code") }))} noValidate aria-label="New recovery codes" className="flex items-end gap-2">
            <div className="flex-1">
              <InputField id="regenerate-code" label="Code from the app" name="code" inputMode="numeric" autoComplete="one-time-code" error={error("code") && regenerate.isError ? error("code") : undefined} />
            </div>
            <button type="submit" disabled={regenerate.isPending} className={buttonClass.secondary}>
              New recovery codes
            </button>
          </form>
          <form
            onSubmit={submitWith((form) => disable.mutate({ password: formText(form, "password"), code: formText(form, "code") }))}
            noValidate
            aria-label="Turn off two-factor sign-in"
            className="space-y-2 rounded border border-neutral-800 p-3"
          >
            <h3 className="text-sm font-medium text-neutral-200">Turn off</h3>
            {data.requiredBy.length > 0 && (
              <Notice tone="warning">{data.requiredBy.join(", ")} requires it for your role: without it you cannot approve changes or manage accounts there.</Notice>
            )}
            <InputField id="disable-password" label="Password" name="password" type="password" autoComplete="current-password" error={error("password")} />
            <InputField id="disable-code" label="Code from the app, or a recovery code" name="code" autoComplete="one-time-code" error={disable.isError ? error("code") : undefined} />
            <button type="submit" disabled={disable.isPending} className={buttonClass.danger}>
              Turn off two-factor sign-in
            </button>
          </form>
        </div>
      ) : (
        <form onSubmit={submitWith((form) => begin.mutate({ password: formText(form, "password") }))} noValidate aria-label="Set up two-factor sign-in" className="space-y-3">
          <p className="text-neutral-300">Off. With it on, signing in needs your password and a code from an authenticator app on your phone.</p>
          {data && data.requiredBy.length > 0 && (
            <Notice tone="warning">
              {data.requiredBy.join(", ")} requires two-factor sign-in for your role: until you set it up you cannot approve changes or manage
              accounts, channels and members there.
            </Notice>
          )}
          {generalProblem}
          <InputField id="setup-password" label="Your password" name="password" type="password" autoComplete="current-password" error={error("password")} required />
          <button type="submit" disabled={begin.isPending} className={buttonClass.primary}>
            {begin.isPending ? "Starting…" : "Set up two-factor sign-in"}
          </button>
        </form>
      )}
    </section>
  );
}
