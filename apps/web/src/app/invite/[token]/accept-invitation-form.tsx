"use client";

import { useMutation } from "@tanstack/react-query";
import { signIn } from "next-auth/react";
import { type FormEvent, useState } from "react";
import { InputField, Notice, type Problem, buttonClass, formText, problemOf } from "~/components/forms";
import { PASSWORD_MIN_LENGTH } from "~/lib/passwords";
import { useTRPC } from "~/trpc/react";

export function AcceptInvitationForm({ token, email, hasAccount }: { token: string; email: string; hasAccount: boolean }) {
  const trpc = useTRPC();
  const [problem, setProblem] = useState<Problem | null>(null);
  const [signingIn, setSigningIn] = useState(false);
  const accept = useMutation(trpc.invitations.accept.mutationOptions({ onError: (error) => setProblem(problemOf(error)) }));

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const password = formText(form, "password");
    setProblem(null);
    if (!hasAccount && password !== formText(form, "confirmPassword")) {
      setProblem({ message: "One field needs attention: see below.", fields: { confirmPassword: "Does not match the password." } });
      return;
    }
    accept.mutate(
      { token, email, password, ...(hasAccount ? {} : { name: formText(form, "name") }) },
      {
        onSuccess: () => {
          setSigningIn(true);
          // A full load afterwards, so every server component renders with the new session.
          void signIn("credentials", { email, password, redirect: false }).then((result) =>
            window.location.assign(result?.ok ? "/" : "/signin"),
          );
        },
      },
    );
  }

  const error = (field: string) => problem?.fields[field];
  const busy = accept.isPending || signingIn;
  return (
    <form onSubmit={submit} noValidate className="mt-6 space-y-4">
      {problem && Object.keys(problem.fields).length === 0 && <Notice tone="error">{problem.message}</Notice>}
      {hasAccount ? (
        <>
          <p className="text-neutral-400">You already have a Bandkeeper account. Confirm with its password to join.</p>
          <InputField id="password" label="Password" error={error("password")} name="password" type="password" autoComplete="current-password" required />
        </>
      ) : (
        <>
          <InputField id="name" label="Your name" error={error("name")} name="name" autoComplete="name" required maxLength={100} />
          <InputField
            id="password"
            label="Choose a password"
            error={error("password")}
            hint={`At least ${PASSWORD_MIN_LENGTH} characters.`}
            name="password"
            type="password"
            autoComplete="new-password"
            required
            minLength={PASSWORD_MIN_LENGTH}
          />
          <InputField
            id="confirm-password"
            label="Password again"
            error={error("confirmPassword")}
            name="confirmPassword"
            type="password"
            autoComplete="new-password"
            required
          />
        </>
      )}
      <button type="submit" disabled={busy} className={`${buttonClass.primary} w-full py-2`}>
        {signingIn ? "Signing in…" : accept.isPending ? "Joining…" : "Join the team"}
      </button>
    </form>
  );
}
