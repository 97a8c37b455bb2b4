"use client";

import { signIn } from "next-auth/react";
import { type FormEvent, useState } from "react";
import { InputField, Notice, buttonClass, formText } from "~/components/forms";

type Status = { kind: "idle" } | { kind: "submitting" } | { kind: "failed"; message: string };

export function SignInForm({ callbackPath }: { callbackPath: string }) {
  const [status, setStatus] = useState<Status>({ kind: "idle" });

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setStatus({ kind: "submitting" });
    const result = await signIn("credentials", {
      email: formText(form, "email"),
      password: formText(form, "password"),
      redirect: false,
    });
    if (result?.ok && !result.error) {
      // A full load so every server component renders with the new session cookie.
      window.location.assign(callbackPath);
      return;
    }
    setStatus({
      kind: "failed",
      message:
        result?.error === "CredentialsSignin" || result?.status === 401
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
      <button type="submit" disabled={submitting} className={`${buttonClass.primary} w-full py-2`}>
        {submitting ? "Signing in…" : "Sign in"}
      </button>
    </form>
  );
}
