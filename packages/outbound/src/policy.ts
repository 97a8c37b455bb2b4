// Where the server may send a request on a user's behalf (a webhook, an exchange account's own address): pure
// rules over a URL and over the addresses its host resolves to. The IO that applies them, resolving the name
// and connecting to exactly the address that was checked, is in fetch.ts.
import { type AddressClass, classifyAddress, isIpLiteral } from "./addresses";

export interface OutboundPolicy {
  /**
   * Also loopback, private-network (RFC 1918, fc00::/7) and carrier-NAT addresses, and plain http to them: for
   * local and test use (the bundled simulator, test receivers on 127.0.0.1). Link-local and metadata addresses
   * stay refused whatever this says.
   */
  allowPrivateNetworks: boolean;
  /** Production: plain http only to the addresses `allowPrivateNetworks` lets through. */
  requireHttps: boolean;
}

export const REFUSAL_CODES = ["invalid-url", "scheme", "https-required", "loopback", "private", "link-local", "metadata", "special"] as const;
export type RefusalCode = (typeof REFUSAL_CODES)[number];

export interface OutboundRefusal {
  code: RefusalCode;
  /** Fixed text for the person who entered the URL; never anything the target said. */
  message: string;
}

const MESSAGES: Record<RefusalCode, string> = {
  "invalid-url": "Enter an http:// or https:// URL.",
  scheme: "Only http:// and https:// URLs can be called.",
  "https-required": "Only https:// URLs are called from this server.",
  loopback: "This address is the server itself (loopback): refused unless the server is set up for local use.",
  private: "This address is in a private network: refused unless the server is set up for local use.",
  "link-local": "This address is link-local (169.254.0.0/16, fe80::/10): always refused.",
  metadata: "This address is a cloud metadata service: always refused.",
  special: "This address is reserved (unspecified, multicast, documentation or similar): always refused.",
};

export function refusal(code: RefusalCode): OutboundRefusal {
  return { code, message: MESSAGES[code] };
}

export type Verdict = { ok: true } | { ok: false; refusal: OutboundRefusal };
export type UrlVerdict = { ok: true; url: URL } | { ok: false; refusal: OutboundRefusal };

const ALLOWED: Verdict = { ok: true };
const refuse = (code: RefusalCode): { ok: false; refusal: OutboundRefusal } => ({ ok: false, refusal: refusal(code) });

// The classes the local-use setting lets through; every other non-public class is refused always.
const LOCAL_CLASSES: Readonly<Partial<Record<AddressClass, RefusalCode>>> = {
  loopback: "loopback",
  private: "private",
  "carrier-nat": "private",
};

const ALWAYS_REFUSED: Readonly<Partial<Record<AddressClass, RefusalCode>>> = {
  "link-local": "link-local",
  metadata: "metadata",
  unspecified: "special",
  multicast: "special",
  reserved: "special",
};

/** May a request over `protocol` ("http:" or "https:") go to this resolved address? */
export function checkAddress(address: string, protocol: string, policy: OutboundPolicy): Verdict {
  const kind = classifyAddress(address);
  const always = ALWAYS_REFUSED[kind];
  if (always !== undefined) return refuse(always);
  const local = LOCAL_CLASSES[kind];
  if (local !== undefined) return policy.allowPrivateNetworks ? ALLOWED : refuse(local);
  return policy.requireHttps && protocol !== "https:" ? refuse("https-required") : ALLOWED;
}

/** The host to resolve, or the IP literal, without IPv6 brackets. */
export function hostOf(url: URL): string {
  return url.hostname.startsWith("[") ? url.hostname.slice(1, -1) : url.hostname;
}

/**
 * What can be judged from the URL alone: scheme, and the address when the host is an IP literal (the WHATWG
 * parser has already turned 2130706433, 0x7f.1 and the like into dotted quads). A host name is judged by the
 * addresses it resolves to, at the moment of the call.
 */
export function checkUrl(raw: string | URL, policy: OutboundPolicy): UrlVerdict {
  let url: URL;
  try {
    url = typeof raw === "string" ? new URL(raw) : raw;
  } catch {
    return refuse("invalid-url");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return refuse("scheme");
  const host = hostOf(url);
  if (host === "") return refuse("invalid-url");
  if (isIpLiteral(host)) {
    const verdict = checkAddress(host, url.protocol, policy);
    if (!verdict.ok) return verdict;
  } else if (policy.requireHttps && url.protocol !== "https:" && !policy.allowPrivateNetworks) {
    // Nothing a name resolves to could make plain http acceptable.
    return refuse("https-required");
  }
  return { ok: true, url };
}
