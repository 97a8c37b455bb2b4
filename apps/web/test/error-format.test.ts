import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { AppError } from "../src/server/errors";
import { fieldError } from "../src/server/field-error";
import type { Database } from "../src/server/db";
import { publicProcedure, router } from "../src/server/trpc";

// A router made for this test: the formatter is shared by every procedure, so any procedure shows its output.
const probeRouter = router({
  rename: publicProcedure
    .input(z.object({ bot: z.object({ symbol: z.string().regex(/^[A-Z]+$/, "must be upper-case letters") }) }))
    .mutation(() => "renamed"),
  missing: publicProcedure.query(() => {
    throw new AppError("NOT_FOUND", "No such bot.");
  }),
  wrongSecret: publicProcedure.mutation(() => {
    throw fieldError("apiSecret", "The exchange rejected the signature.");
  }),
  broken: publicProcedure.query(() => {
    throw new Error("connection refused at 10.0.0.5:5432");
  }),
});

interface ErrorBody {
  error: { json: { message: string; data: { code: string; httpStatus: number; appCode: string | null; fieldErrors: unknown } } };
}

async function call(path: string, init: RequestInit = {}): Promise<{ status: number; body: ErrorBody }> {
  const response = await fetchRequestHandler({
    endpoint: "/api/trpc",
    req: new Request(`http://localhost/api/trpc/${path}`, init),
    router: probeRouter,
    createContext: () => ({ db: {} as Database, user: null }),
  });
  return { status: response.status, body: (await response.json()) as ErrorBody };
}

describe("error formatter", () => {
  it("reports validation errors with their field paths", async () => {
    const { status, body } = await call("rename", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ json: { bot: { symbol: "btc-usdt" } } }),
    });
    expect(status).toBe(400);
    expect(body.error.json.data.appCode).toBe("INVALID_INPUT");
    expect(body.error.json.data.fieldErrors).toEqual([{ path: "bot.symbol", message: "must be upper-case letters" }]);
  });

  it("reports a field refused after validation like a validation error", async () => {
    const { status, body } = await call("wrongSecret", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ json: null }),
    });
    expect(status).toBe(400);
    expect(body.error.json.message).toBe("The exchange rejected the signature.");
    expect(body.error.json.data.appCode).toBe("INVALID_INPUT");
    expect(body.error.json.data.fieldErrors).toEqual([{ path: "apiSecret", message: "The exchange rejected the signature." }]);
  });

  it("maps application errors to their status and code", async () => {
    const { status, body } = await call("missing");
    expect(status).toBe(404);
    expect(body.error.json.message).toBe("No such bot.");
    expect(body.error.json.data).toMatchObject({ code: "NOT_FOUND", appCode: "NOT_FOUND", fieldErrors: null });
  });

  it("keeps the detail of unexpected failures out of the response", async () => {
    const { status, body } = await call("broken");
    expect(status).toBe(500);
    expect(body.error.json.message).toBe("Something went wrong on our side.");
    expect(JSON.stringify(body)).not.toContain("10.0.0.5");
  });
});
