// The dashboard's browser-side defences, as pure functions of the request: the Content-Security-Policy each page
// is served with (a fresh nonce per request; Next puts it on its own scripts and styles, see
// node_modules/next/dist/docs/01-app/02-guides/content-security-policy.md), and the Origin/Host check that
// keeps another site from making a signed-in browser send a mutation.

export interface PolicyOptions {
  nonce: string;
  /** next dev: React's debugging needs eval and injects styles without a nonce. */
  development: boolean;
  /** Served over https (NEXTAUTH_URL): subresources follow. */
  https: boolean;
}

export function contentSecurityPolicy({ nonce, development, https }: PolicyOptions): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${development ? " 'unsafe-eval'" : ""}`,
    `style-src 'self' ${development ? "'unsafe-inline'" : `'nonce-${nonce}'`}`,
    "img-src 'self' blob: data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    // Approve and emergency-stop pages must never run inside another site's frame (clickjacking).
    "frame-ancestors 'none'",
    ...(https ? ["upgrade-insecure-requests"] : []),
  ].join("; ");
}

export function newNonce(): string {
  return btoa(crypto.randomUUID());
}

const LOOPBACK_HOSTS = ["localhost", "127.0.0.1", "[::1]"];

/**
 * The hosts the dashboard answers as: NEXTAUTH_URL's (with the other loopback names when it is a loopback one,
 * since http://localhost and http://127.0.0.1 are the same dashboard), or, without it, whatever Host it is
 * asked with.
 */
export function dashboardHosts(nextAuthUrl: string | undefined): readonly string[] | null {
  if (nextAuthUrl === undefined) return null;
  const url = new URL(nextAuthUrl);
  if (!LOOPBACK_HOSTS.includes(url.hostname)) return [url.host];
  return LOOPBACK_HOSTS.map((host) => (url.port === "" ? host : `${host}:${url.port}`));
}

/**
 * Why a state-changing request (POST) is refused, or null. A browser names the page that sent it (Origin, or
 * Sec-Fetch-Site); it must be the dashboard itself, at a host the dashboard answers as (a DNS-rebound name is
 * not). A request without either header is not a browser's, and has no session cookie to abuse.
 */
export function crossSiteProblem(headers: Headers, hosts: readonly string[] | null): string | null {
  const host = headers.get("host");
  if (host === null) return "the request names no Host";
  if (hosts !== null && !hosts.includes(host.toLowerCase())) return `the dashboard does not answer as ${host}`;
  const origin = headers.get("origin");
  if (origin !== null) {
    let originHost: string;
    try {
      originHost = new URL(origin).host;
    } catch {
      return "the request's Origin is not a URL";
    }
    return originHost.toLowerCase() === host.toLowerCase() ? null : "the request came from another site";
  }
  const site = headers.get("sec-fetch-site");
  if (site !== null && site !== "same-origin" && site !== "none") return "the request came from another site";
  return null;
}
