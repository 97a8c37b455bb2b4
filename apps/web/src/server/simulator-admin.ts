// The bundled simulator's own control surface (POST /admin/accounts), used to provision paper accounts. Not part
// of Binance's API: only a simulator at the server's SIMULATOR_URL is asked, never an address from a request.
import { env } from "~/env";
import { AppError } from "./errors";

const ADMIN_TIMEOUT_MS = 8_000;

export function bundledSimulatorUrl(): string {
  return env().SIMULATOR_URL.replace(/\/+$/, "");
}

async function post(path: string, body: unknown): Promise<unknown> {
  const url = `${bundledSimulatorUrl()}${path}`;
  let response: Response;
  try {
    response = await fetch(url, { method: "POST", body: JSON.stringify(body), signal: AbortSignal.timeout(ADMIN_TIMEOUT_MS) });
  } catch (error) {
    throw new AppError("VENUE_UNREACHABLE", `The bundled simulator at ${bundledSimulatorUrl()} did not answer (${(error as Error).message}).`);
  }
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text === "" ? {} : JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  if (!response.ok || parsed === undefined) {
    const reason = (parsed as { error?: unknown } | undefined)?.error;
    throw new AppError(
      "VENUE_UNREACHABLE",
      `The bundled simulator refused to create the account: ${typeof reason === "string" ? reason : `HTTP ${response.status}`}.`,
    );
  }
  return parsed;
}

// Creates an account with these keys and free balances on the simulator (which keeps it in its state directory).
export async function provisionSimulatorAccount(credentials: { apiKey: string; apiSecret: string }, balances: Record<string, string>) {
  await post("/admin/accounts", { ...credentials, balances });
}

// Undoes a provisioning whose account could not be stored: the key stops working on the simulator.
export async function revokeSimulatorKey(apiKey: string): Promise<void> {
  await post("/admin/accounts/revoke", { apiKey });
}
