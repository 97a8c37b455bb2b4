// Presentation helpers shared by the change-request and bot-config pages.
import { TRPCClientError } from "@trpc/client";
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

export interface MutationProblem {
  message: string;
  // Field path (as the server names it, e.g. "config.band.minSpread") -> reason.
  fields: Record<string, string>;
}

/** What a failed call tells the user: the message, and the fields the server named (the server is authoritative). */
export function problemOf(error: unknown): MutationProblem {
  if (error instanceof TRPCClientError) {
    const data = (error as TRPCClientError<AppRouter>).data;
    const fields = Object.fromEntries((data?.fieldErrors ?? []).map((issue) => [issue.path, issue.message]));
    const count = Object.keys(fields).length;
    const message = count > 0 ? `${count === 1 ? "One field is" : `${count} fields are`} invalid: see below.` : error.message;
    return { message, fields };
  }
  return { message: error instanceof Error ? error.message : "Something went wrong.", fields: {} };
}

/** The server's field errors for the config, keyed by config path. */
export function configFieldErrors(problem: MutationProblem | null): Record<string, string> {
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

export const inputClass =
  "block w-full rounded border border-neutral-700 bg-neutral-900 px-2 py-1 font-mono text-neutral-100 " +
  "placeholder:text-neutral-600 focus:border-emerald-500 focus:outline-none focus:ring-1 focus:ring-emerald-500 " +
  "aria-[invalid=true]:border-red-500/70";

export const primaryButton =
  "rounded bg-emerald-600 px-3 py-1.5 font-medium text-white hover:bg-emerald-500 focus:outline-none " +
  "focus-visible:ring-2 focus-visible:ring-emerald-400 focus-visible:ring-offset-2 focus-visible:ring-offset-neutral-950 disabled:opacity-50";

export const dangerButton =
  "rounded bg-red-600/90 px-3 py-1.5 font-medium text-white hover:bg-red-500 focus:outline-none " +
  "focus-visible:ring-2 focus-visible:ring-red-400 focus-visible:ring-offset-2 focus-visible:ring-offset-neutral-950 disabled:opacity-50";

export const secondaryButton =
  "rounded border border-neutral-700 px-3 py-1.5 text-neutral-200 hover:bg-neutral-800 focus:outline-none " +
  "focus-visible:ring-2 focus-visible:ring-neutral-400 disabled:opacity-50";

export const linkClass = "text-emerald-400 hover:text-emerald-300 hover:underline focus:outline-none focus-visible:underline";
