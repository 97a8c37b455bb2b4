import { TRPCError } from "@trpc/server";
import { ZodRealError } from "zod";

// Input that passed its schema but is refused on a closer look (the venue rejects the secret, the current
// password is wrong). It reaches the client exactly like a schema failure: INVALID_INPUT with the field's path
// in `error.data.fieldErrors`, so forms show it under the field. ZodRealError, unlike ZodError, is an Error,
// which tRPC keeps as the cause instead of wrapping it.
export function fieldError(path: string, message: string): TRPCError {
  return new TRPCError({
    code: "BAD_REQUEST",
    message,
    cause: new ZodRealError([{ code: "custom", path: path.split("."), message, input: undefined }]),
  });
}

// Several fields at once, each under its own path.
export function fieldErrors(issues: readonly { path: string; message: string }[]): TRPCError {
  return new TRPCError({
    code: "BAD_REQUEST",
    message: issues.map((issue) => issue.message).join("; "),
    cause: new ZodRealError(issues.map((issue) => ({ code: "custom" as const, path: issue.path.split("."), message: issue.message, input: undefined }))),
  });
}
