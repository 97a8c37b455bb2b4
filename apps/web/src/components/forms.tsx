// Form parts for the dashboard: labelled fields that show the server's reason under the field, a banner for the
// form as a whole, and the buttons. No "use client": server pages use the notices and button styles too.

import { TRPCClientError } from "@trpc/client";
import type { InputHTMLAttributes, ReactNode } from "react";
import type { AppRouter } from "~/server/routers";

export interface Problem {
  message: string;
  // Field path as the server names it ("apiSecret", "config.band.minSpread") -> reason.
  fields: Record<string, string>;
}

// What a failed call tells the user: the server's field errors when it named fields, its message otherwise.
export function problemOf(error: unknown): Problem {
  if (error instanceof TRPCClientError) {
    const data = (error as TRPCClientError<AppRouter>).data;
    const fields = Object.fromEntries((data?.fieldErrors ?? []).map((issue) => [issue.path, issue.message]));
    const count = Object.keys(fields).length;
    const message =
      count === 0 ? error.message : count === 1 ? "One field needs attention: see below." : `${count} fields need attention: see below.`;
    return { message, fields };
  }
  return { message: error instanceof Error ? error.message : "Something went wrong.", fields: {} };
}

export const inputClass =
  "block w-full rounded border border-neutral-700 bg-neutral-900 px-2.5 py-1.5 text-neutral-100 " +
  "placeholder:text-neutral-600 focus:border-emerald-500 focus:outline-none focus:ring-1 focus:ring-emerald-500 " +
  "aria-[invalid=true]:border-red-500/70 disabled:opacity-60";

export const buttonClass = {
  primary:
    "rounded bg-emerald-700 px-3 py-1.5 font-medium text-white hover:bg-emerald-600 focus:outline-none " +
    "focus-visible:ring-2 focus-visible:ring-emerald-400 focus-visible:ring-offset-2 focus-visible:ring-offset-neutral-950 disabled:opacity-50",
  secondary:
    "rounded border border-neutral-700 px-3 py-1.5 text-neutral-200 hover:bg-neutral-800 focus:outline-none " +
    "focus-visible:ring-2 focus-visible:ring-neutral-400 disabled:opacity-50",
  danger:
    "rounded bg-red-600/90 px-3 py-1.5 font-medium text-white hover:bg-red-500 focus:outline-none " +
    "focus-visible:ring-2 focus-visible:ring-red-400 focus-visible:ring-offset-2 focus-visible:ring-offset-neutral-950 disabled:opacity-50",
  quiet:
    "rounded px-2 py-1 text-neutral-400 hover:bg-neutral-800 hover:text-neutral-100 focus:outline-none " +
    "focus-visible:ring-2 focus-visible:ring-neutral-400 disabled:opacity-50",
} as const;

export function Field({
  id,
  label,
  hint,
  error,
  children,
}: {
  id: string;
  label: string;
  hint?: ReactNode;
  error?: string | undefined;
  children: ReactNode;
}) {
  return (
    <div>
      <label htmlFor={id} className="block text-xs font-medium uppercase tracking-wide text-neutral-400">
        {label}
      </label>
      <div className="mt-1">{children}</div>
      {error ? (
        <p id={`${id}-error`} className="mt-1 text-xs text-red-300">
          {error}
        </p>
      ) : (
        hint && <p className="mt-1 text-xs text-neutral-500">{hint}</p>
      )}
    </div>
  );
}

// Props that tie an input to its Field's error for screen readers and the red border.
export function invalidProps(id: string, error: string | undefined) {
  return error ? { "aria-invalid": true, "aria-describedby": `${id}-error` } : {};
}

// A labelled input tied to its Field's error; `mono` for keys, secrets and URLs, read character by character.
export function InputField({
  id,
  label,
  hint,
  error,
  mono = false,
  ...input
}: {
  id: string;
  label: string;
  hint?: ReactNode;
  error?: string | undefined;
  mono?: boolean;
} & Omit<InputHTMLAttributes<HTMLInputElement>, "id" | "className">) {
  return (
    <Field id={id} label={label} hint={hint} error={error}>
      <input id={id} className={mono ? `${inputClass} font-mono` : inputClass} {...input} {...invalidProps(id, error)} />
    </Field>
  );
}

const NOTICE_TONES = {
  error: "border-red-500/40 bg-red-500/10 text-red-200",
  warning: "border-amber-500/40 bg-amber-500/10 text-amber-200",
  info: "border-sky-500/30 bg-sky-500/10 text-sky-200",
  success: "border-emerald-500/40 bg-emerald-500/10 text-emerald-200",
} as const;

export function Notice({ tone, children }: { tone: keyof typeof NOTICE_TONES; children: ReactNode }) {
  return (
    <div role={tone === "error" ? "alert" : "status"} className={`rounded border px-3 py-2 ${NOTICE_TONES[tone]}`}>
      {children}
    </div>
  );
}

// The submit and cancel buttons that end an add or edit form; the submit button says when the call is under way.
export function FormActions({
  submitLabel,
  pendingLabel,
  pending,
  onCancel,
}: {
  submitLabel: string;
  pendingLabel: string;
  pending: boolean;
  onCancel: () => void;
}) {
  return (
    <div className="flex flex-wrap items-center gap-2">
      <button type="submit" disabled={pending} className={buttonClass.primary}>
        {pending ? pendingLabel : submitLabel}
      </button>
      <button type="button" onClick={onCancel} className={buttonClass.secondary}>
        Cancel
      </button>
    </div>
  );
}

export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="rounded-md border border-dashed border-neutral-800 px-6 py-10 text-center">
      <p className="font-medium text-neutral-200">{title}</p>
      {children && <div className="mt-1 text-neutral-500">{children}</div>}
    </div>
  );
}

export function formText(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === "string" ? value : "";
}

export const tableClass = {
  wrapper: "overflow-x-auto rounded-md border border-neutral-800",
  head: "border-b border-neutral-800 bg-neutral-900/60",
  headCell: "px-3 py-2 text-left text-xs font-medium uppercase tracking-wide text-neutral-500",
  body: "divide-y divide-neutral-800/70",
  cell: "px-3 py-1.5 align-top",
} as const;
