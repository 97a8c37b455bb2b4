// The outbound fetch against real servers on loopback: what it refuses before sending a byte, that it connects to
// the address it checked, that redirects come back unfollowed, and that answers stay bounded.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { assessOutboundUrl, createOutboundFetch, OutboundRefusedError, type Resolve } from "../src/fetch";
import type { OutboundPolicy } from "../src/policy";

const local: OutboundPolicy = { allowPrivateNetworks: true, requireHttps: false };
const strict: OutboundPolicy = { allowPrivateNetworks: false, requireHttps: false };

interface Seen {
  method: string;
  url: string;
  host: string;
  body: string;
}

let server: Server;
let port: number;
const seen: Seen[] = [];
let handler: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => res.end("ok");

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8").on("data", (chunk: string) => (body += chunk));
    req.on("end", () => {
      seen.push({ method: req.method ?? "", url: req.url ?? "", host: req.headers.host ?? "", body });
      handler(req, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

// A resolver that answers from a table and counts its lookups (the name never reaches real DNS).
function table(entries: Record<string, string[]>): Resolve & { calls: string[] } {
  const calls: string[] = [];
  const resolve = (hostname: string) => {
    calls.push(hostname);
    const addresses = entries[hostname];
    if (!addresses) return Promise.reject(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: "ENOTFOUND" }));
    return Promise.resolve(addresses.map((address) => ({ address, family: address.includes(":") ? (6 as const) : (4 as const) })));
  };
  return Object.assign(resolve, { calls });
}

async function refusal(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => new Error("the request was sent"),
    (e: unknown) => e,
  );
  return error instanceof OutboundRefusedError ? error.refusal.code : `not refused: ${String(error)}`;
}

describe("createOutboundFetch", () => {
  it("posts to a loopback receiver when the local setting allows it", async () => {
    handler = (_req, res) => res.writeHead(201, { "X-Answer": "yes" }).end("created");
    const response = await createOutboundFetch({ policy: local })(`http://127.0.0.1:${port}/hook?x=1`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: '{"a":1}',
    });
    expect(response.status).toBe(201);
    expect(response.headers.get("x-answer")).toBe("yes");
    expect(await response.text()).toBe("created");
    expect(seen.at(-1)).toMatchObject({ method: "POST", url: "/hook?x=1", body: '{"a":1}' });
  });

  it("refuses loopback without the setting, before anything is sent", async () => {
    const before = seen.length;
    expect(await refusal(createOutboundFetch({ policy: strict })(`http://127.0.0.1:${port}/hook`, { method: "POST", body: "x" }))).toBe("loopback");
    expect(await refusal(createOutboundFetch({ policy: strict })(`http://[::ffff:127.0.0.1]:${port}/hook`))).toBe("loopback");
    expect(seen.length).toBe(before);
  });

  it("resolves a name once, checks the answer and connects to that very address", async () => {
    handler = (_req, res) => res.end("ok");
    const resolve = table({ "receiver.test": ["127.0.0.1"] });
    const response = await createOutboundFetch({ policy: local, resolve })(`http://receiver.test:${port}/named`);
    expect(await response.text()).toBe("ok");
    expect(resolve.calls).toEqual(["receiver.test"]);
    // The request reached the checked address with the name it was given.
    expect(seen.at(-1)).toMatchObject({ url: "/named", host: `receiver.test:${port}` });
  });

  it("refuses a name that resolves to a loopback, private or metadata address", async () => {
    const resolve = table({
      "rebound.test": ["127.0.0.1"],
      "mixed.test": ["93.184.216.34", "10.0.0.5"],
      "metadata.test": ["169.254.169.254"],
      "mapped.test": ["::ffff:169.254.169.254"],
    });
    const call = createOutboundFetch({ policy: strict, resolve });
    const before = seen.length;
    expect(await refusal(call(`http://rebound.test:${port}/`))).toBe("loopback");
    expect(await refusal(call("http://mixed.test/"))).toBe("private");
    expect(await refusal(call("http://metadata.test/latest/meta-data/"))).toBe("metadata");
    expect(await refusal(createOutboundFetch({ policy: local, resolve })("http://mapped.test/"))).toBe("metadata");
    expect(seen.length).toBe(before);
  });

  it("returns a redirect as it came, without following it", async () => {
    handler = (_req, res) => res.writeHead(302, { Location: "http://169.254.169.254/latest/meta-data/" }).end();
    const before = seen.length;
    const response = await createOutboundFetch({ policy: local })(`http://127.0.0.1:${port}/moved`);
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("http://169.254.169.254/latest/meta-data/");
    expect(seen.length).toBe(before + 1);
  });

  it("fails like fetch when nothing listens or the name does not resolve", async () => {
    const closed = await createOutboundFetch({ policy: local })("http://127.0.0.1:9/").catch((e: unknown) => e);
    expect(closed).toBeInstanceOf(TypeError);
    expect(((closed as TypeError).cause as { code?: string }).code).toBe("ECONNREFUSED");
    const unknown = await createOutboundFetch({ policy: local, resolve: table({}) })("http://nowhere.test/").catch((e: unknown) => e);
    expect(((unknown as TypeError).cause as { code?: string }).code).toBe("ENOTFOUND");
  });

  it("rejects with the signal's reason on a timeout, and bounds the answer's size", async () => {
    handler = () => undefined;
    const timedOut = await createOutboundFetch({ policy: local })(`http://127.0.0.1:${port}/hang`, { signal: AbortSignal.timeout(100) }).catch((e: unknown) => e);
    expect((timedOut as Error).name).toBe("TimeoutError");
    handler = (_req, res) => res.end("x".repeat(10_000));
    const large = await createOutboundFetch({ policy: local, maxResponseBytes: 1_000 })(`http://127.0.0.1:${port}/large`).catch((e: unknown) => e);
    expect(large).toBeInstanceOf(TypeError);
  });
});

describe("assessOutboundUrl", () => {
  it("refuses at save what a call would refuse, and leaves a name that does not resolve yet to the call", async () => {
    const resolve = table({ "internal.test": ["192.168.3.4"], "public.test": ["93.184.216.34"] });
    expect(await assessOutboundUrl("https://internal.test/hook", { policy: strict, resolve })).toMatchObject({ ok: false, refusal: { code: "private" } });
    expect(await assessOutboundUrl("https://public.test/hook", { policy: strict, resolve })).toEqual({ ok: true });
    expect(await assessOutboundUrl("https://later.test/hook", { policy: strict, resolve })).toEqual({ ok: true });
    expect(await assessOutboundUrl("https://169.254.169.254/", { policy: local, resolve })).toMatchObject({ ok: false, refusal: { code: "metadata" } });
  });

  it("does not wait long for a slow resolver", async () => {
    const slow: Resolve = () => new Promise(() => undefined);
    const started = Date.now();
    expect(await assessOutboundUrl("https://slow.test/hook", { policy: strict, resolve: slow, lookupTimeoutMs: 100 })).toEqual({ ok: true });
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});
