// How a test reads a refused call: the error itself, and the fields a validation error names.
import { TRPCError } from "@trpc/server";
import { expect } from "vitest";

/** The error a call fails with; the test fails if the call succeeds or fails with anything but a TRPCError. */
export async function rejection(call: Promise<unknown>): Promise<TRPCError> {
  const error = await call.then(
    () => null,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(TRPCError);
  return error as TRPCError;
}

/** A validation error's issues, each with its dotted field path ("config.band.minSpread"). */
export function fieldIssues(error: TRPCError): { path: string; message: string }[] {
  const cause = error.cause as { issues?: { path: PropertyKey[]; message: string }[] } | undefined;
  return (cause?.issues ?? []).map((issue) => ({ path: issue.path.map(String).join("."), message: issue.message }));
}
