// The IO edge of the outbound policy: a fetch for user-supplied URLs. The host name is resolved inside the
// socket's own lookup, every address is checked, and the socket connects to the checked address, so no second
// lookup (DNS rebinding) can swap in another one. Redirects are never followed: a 3xx comes back as it is.
import { lookup as dnsLookup } from "node:dns/promises";
import { type IncomingMessage, request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import type { LookupAddress } from "node:dns";
import { checkAddress, checkUrl, hostOf, type OutboundPolicy, type OutboundRefusal } from "./policy";

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Every address a host name resolves to; throws when it resolves to none. */
export type Resolve = (hostname: string) => Promise<readonly ResolvedAddress[]>;

export const systemResolve: Resolve = async (hostname) =>
  (await dnsLookup(hostname, { all: true, verbatim: true })).map((entry) => ({ address: entry.address, family: entry.family === 6 ? 6 : 4 }));

export class OutboundRefusedError extends Error {
  override readonly name = "OutboundRefusedError";
  constructor(readonly refusal: OutboundRefusal) {
    super(`outbound request refused: ${refusal.code}`);
  }
}

export interface OutboundOptions {
  policy: OutboundPolicy;
  /** DNS; the system resolver by default. */
  resolve?: Resolve;
  /** A longer answer fails the request (default 4 MiB). */
  maxResponseBytes?: number;
}

/** A fetch for user-supplied URLs: a policy refusal rejects with OutboundRefusedError, before any byte is sent. */
export type OutboundFetch = (input: string | URL, init?: RequestInit) => Promise<Response>;

/**
 * The addresses a request may connect to: all of the host's, each allowed, or a refusal. Resolution failures
 * reject like fetch's own (`TypeError` whose cause has the resolver's code).
 */
async function allowedAddresses(url: URL, options: OutboundOptions): Promise<readonly ResolvedAddress[]> {
  const addresses = await (options.resolve ?? systemResolve)(hostOf(url));
  if (addresses.length === 0) throw Object.assign(new Error(`${hostOf(url)} has no address`), { code: "ENOTFOUND" });
  // One refused address refuses the name: which of them a connection would use is not ours to choose.
  for (const { address } of addresses) {
    const verdict = checkAddress(address, url.protocol, options.policy);
    if (!verdict.ok) throw new OutboundRefusedError(verdict.refusal);
  }
  return addresses;
}

/**
 * Before a URL is saved: refused by the policy now, or not. A name that does not resolve (yet, or within
 * `lookupTimeoutMs`, default 3 s) is not refused here: it is judged again at every call.
 */
export async function assessOutboundUrl(
  raw: string,
  options: OutboundOptions & { lookupTimeoutMs?: number },
): Promise<{ ok: true } | { ok: false; refusal: OutboundRefusal }> {
  const verdict = checkUrl(raw, options.policy);
  if (!verdict.ok) return verdict;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<"timeout">((resolve) => (timer = setTimeout(() => resolve("timeout"), options.lookupTimeoutMs ?? 3_000)));
  try {
    await Promise.race([allowedAddresses(verdict.url, options), timeout]);
    return { ok: true };
  } catch (error) {
    if (error instanceof OutboundRefusedError) return { ok: false, refusal: error.refusal };
    return { ok: true };
  } finally {
    clearTimeout(timer);
  }
}

const NULL_BODY_STATUSES = new Set([101, 204, 205, 304]);
const DEFAULT_MAX_RESPONSE_BYTES = 4 * 1024 * 1024;

export function createOutboundFetch(options: OutboundOptions): OutboundFetch {
  return (input, init = {}) => send(new URL(input), init, options);
}

function bodyBytes(body: RequestInit["body"]): Buffer | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === "string") return Buffer.from(body);
  if (body instanceof Uint8Array) return Buffer.from(body);
  if (body instanceof ArrayBuffer) return Buffer.from(body);
  throw new TypeError("the outbound fetch sends string or byte bodies only");
}

function send(url: URL, init: RequestInit, options: OutboundOptions): Promise<Response> {
  const verdict = checkUrl(url, options.policy);
  if (!verdict.ok) return Promise.reject(new OutboundRefusedError(verdict.refusal));
  const signal = init.signal ?? undefined;
  if (signal?.aborted) return Promise.reject(signal.reason as Error);
  const body = bodyBytes(init.body);
  const headers: Record<string, string> = {};
  new Headers(init.headers).forEach((value, name) => (headers[name] = value));
  if (body !== undefined) headers["content-length"] = String(body.length);
  const maxBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;

  // Called by the socket for a host name (never for an IP literal, which checkUrl judged already).
  const lookup = (
    _hostname: string,
    lookupOptions: { all?: boolean },
    callback: (error: Error | null, address: string | LookupAddress[], family?: number) => void,
  ): void => {
    allowedAddresses(url, options).then(
      (addresses) => {
        const [first] = addresses;
        if (lookupOptions.all === true) callback(null, addresses.map((a) => ({ address: a.address, family: a.family })));
        else if (first !== undefined) callback(null, first.address, first.family);
      },
      (error: unknown) => callback(error instanceof Error ? error : new Error(String(error)), ""),
    );
  };

  return new Promise<Response>((resolve, reject) => {
    let settled = false;
    const fail = (error: unknown) => {
      if (settled) return;
      settled = true;
      if (signal?.aborted) reject(signal.reason as Error);
      else if (error instanceof OutboundRefusedError) reject(error);
      else reject(new TypeError("fetch failed", { cause: error }));
    };
    const request = (url.protocol === "https:" ? httpsRequest : httpRequest)(
      {
        protocol: url.protocol,
        hostname: hostOf(url),
        port: url.port === "" ? undefined : Number(url.port),
        path: `${url.pathname}${url.search}`,
        method: init.method ?? "GET",
        headers,
        agent: false,
        lookup,
        ...(signal === undefined ? {} : { signal }),
      },
      (response: IncomingMessage) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on("data", (chunk: Buffer) => {
          size += chunk.length;
          if (size > maxBytes) {
            request.destroy();
            fail(new Error("the response is longer than allowed"));
            return;
          }
          chunks.push(chunk);
        });
        response.on("error", fail);
        response.on("end", () => {
          if (settled) return;
          const status = response.statusCode ?? 0;
          if (status < 200 || status > 599) return fail(new Error("the response has no valid status"));
          settled = true;
          const responseHeaders = new Headers();
          for (let i = 0; i + 1 < response.rawHeaders.length; i += 2) {
            try {
              responseHeaders.append(response.rawHeaders[i] ?? "", response.rawHeaders[i + 1] ?? "");
            } catch {
              // A header the Fetch API cannot hold is dropped; nothing here reads odd headers.
            }
          }
          resolve(
            new Response(NULL_BODY_STATUSES.has(status) ? null : Buffer.concat(chunks), {
              status,
              statusText: response.statusMessage ?? "",
              headers: responseHeaders,
            }),
          );
        });
      },
    );
    request.on("error", fail);
    request.end(body);
  });
}
