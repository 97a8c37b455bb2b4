// Presentation helpers shared by the change-request and bot-config pages.
import { TRPCClientError } from "@trpc/client";
import type { Problem } from "~/components/forms";
import type { StateTone } from "~/lib/bot-state";
import type { AppRouter } from "~/server/routers";

export const dateTime = new Intl.DateTimeFormat("en-GB", { dateStyle: "short", timeStyle: "medium", timeZone: "UTC" });

export function formatUtc(date: Date): string {
  return `${dateTime.format(date)} UTC`;
}

export type ChangeStatus = "PENDING" | "APPROVED" | "REJECTED" | "CANCELLED";

export const STATUS_TONE: Record<ChangeStatus, StateTone> = {
  PENDING: "transition",
  APPROVED: "good",
  REJECTED: "danger",
  CANCELLED: "idle",
};

export const KIND_LABEL = { CREATE_BOT: "new bot", UPDATE_CONFIG: "config" } as const;

/** The server's field errors for the config, keyed by config path. */
export function configFieldErrors(problem: Problem | null): Record<string, string> {
  if (!problem) return {};
  return Object.fromEntries(
    Object.entries(problem.fields).flatMap(([path, message]) => (path.startsWith("config.") ? [[path.slice(7), message]] : [])),
  );
}

/** Retry a failed read a few times, but not one the server answered for good (not found, not allowed, invalid). */
export function retryUnlessRefused(failureCount: number, error: unknown): boolean {
  const status = error instanceof TRPCClientError ? (error as TRPCClientError<AppRouter>).data?.httpStatus : undefined;
  return failureCount < 3 && (status === undefined || status >= 500);
}

// Compact and monospaced, unlike the forms' input: config values are numbers read digit by digit.
export const inputClass =
  "block w-full rounded border border-neutral-700 bg-neutral-900 px-2 py-1 font-mono text-neutral-100 " +
  "placeholder:text-neutral-600 focus:border-emerald-500 focus:outline-none focus:ring-1 focus:ring-emerald-500 " +
  "aria-[invalid=true]:border-red-500/70";

// Underlined: a link inside a sentence must not be told apart by its colour alone.
export const linkClass = "text-emerald-400 underline underline-offset-2 hover:text-emerald-300 focus:outline-none focus-visible:decoration-2";
