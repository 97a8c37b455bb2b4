"use client";

import { signIn } from "next-auth/react";
import { type FormEvent, useState } from "react";

type Status = { kind: "idle" } | { kind: "submitting" } | { kind: "failed"; message: string };

const inputClass =
  "mt-1 block w-full rounded-md border border-neutral-700 bg-neutral-900 px-3 py-2 text-neutral-100 " +
  "placeholder:text-neutral-500 focus:border-emerald-500 focus:outline-none focus:ring-1 focus:ring-emerald-500";

function textField(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === "string" ? value : "";
}

export function SignInForm({ callbackPath }: { callbackPath: string }) {
  const [status, setStatus] = useState<Status>({ kind: "idle" });

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setStatus({ kind: "submitting" });
    const result = await signIn("credentials", {
      email: textField(form, "email"),
      password: textField(form, "password"),
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
      {status.kind === "failed" && (
        <div role="alert" className="rounded-md border border-red-500/40 bg-red-500/10 px-3 py-2 text-red-300">
          {status.message}
        </div>
      )}
      <div>
        <label htmlFor="email" className="block font-medium text-neutral-300">
          Email
        </label>
        <input id="email" name="email" type="email" autoComplete="username" required className={inputClass} />
      </div>
      <div>
        <label htmlFor="password" className="block font-medium text-neutral-300">
          Password
        </label>
        <input
          id="password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
          className={inputClass}
        />
      </div>
      <button
        type="submit"
        disabled={submitting}
        className="w-full rounded-md bg-emerald-600 px-3 py-2 font-medium text-white hover:bg-emerald-500 focus:outline-none focus-visible:ring-2 focus-visible:ring-emerald-400 focus-visible:ring-offset-2 focus-visible:ring-offset-neutral-950 disabled:opacity-60"
      >
        {submitting ? "Signing in…" : "Sign in"}
      </button>
    </form>
  );
}
