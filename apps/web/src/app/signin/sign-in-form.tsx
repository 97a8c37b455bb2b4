"use client";

import { signIn } from "next-auth/react";
import { type FormEvent, useState } from "react";
import { InputField, Notice, buttonClass, formText } from "~/components/forms";

type Status = { kind: "idle" } | { kind: "submitting" } | { kind: "failed"; message: string };

// The server says why a sign-in was refused as "<code>|<message>" (server/auth.ts SignInRefusal).
function refusalOf(error: string | null | undefined): { code: string; message: string } | null {
  if (!error) return null;
  const separator = error.indexOf("|");
  if (separator <= 0) return null;
  return { code: error.slice(0, separator), message: error.slice(separator + 1) };
}

export function SignInForm({ callbackPath }: { callbackPath: string }) {
  const [status, setStatus] = useState<Status>({ kind: "idle" });
  // Shown once the password was right and the account has two-factor sign-in.
  const [needsCode, setNeedsCode] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setStatus({ kind: "submitting" });
    const code = needsCode ? formText(form, "code") : "";
    const result = await signIn("credentials", {
      email: formText(form, "email"),
      password: formText(form, "password"),
      ...(code ? { code } : {}),
      redirect: false,
    });
    if (result?.ok && !result.error) {
      // A full load so every server component renders with the new session cookie.
      window.location.assign(callbackPath);
      return;
    }
    const refusal = refusalOf(result?.error);
    if (refusal?.code === "TWO_FACTOR_REQUIRED" || refusal?.code === "TWO_FACTOR_INVALID") {
      setNeedsCode(true);
      setStatus(refusal.code === "TWO_FACTOR_INVALID" ? { kind: "failed", message: refusal.message } : { kind: "idle" });
      return;
    }
    setStatus({
      kind: "failed",
      message: refusal
        ? refusal.message
        : result?.error === "CredentialsSignin" || result?.status === 401
          ? "Invalid email or password."
          : "Sign-in is unavailable right now. Try again in a moment.",
    });
  }

  const submitting = status.kind === "submitting";
  return (
    <form onSubmit={(event) => void submit(event)} className="mt-6 space-y-4" noValidate>
      {status.kind === "failed" && <Notice tone="error">{status.message}</Notice>}
      <InputField id="email" label="Email" name="email" type="email" autoComplete="username" required />
      <InputField id="password" label="Password" name="password" type="password" autoComplete="current-password" required />
      {needsCode && (
        <InputField
          id="code"
          label="Authentication code"
          hint="The 6-digit code from your authenticator app, or one of your recovery codes."
          name="code"
          type="text"
          inputMode="text"
          autoComplete="one-time-code"
          autoFocus
          required
        />
      )}
      <button type="submit" disabled={submitting} className={`${buttonClass.primary} w-full py-2`}>
        {submitting ? "Signing in…" : needsCode ? "Verify and sign in" : "Sign in"}
      </button>
    </form>
  );
}
