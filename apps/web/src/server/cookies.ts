import { env } from "~/env";

// Session cookies are Secure (and __Secure- prefixed) when the dashboard is served over https, as NEXTAUTH_URL
// says; the sign-in handler and the proxy must agree on it to find the cookie.
export function secureCookies(): boolean {
  return env().NEXTAUTH_URL?.startsWith("https://") ?? false;
}
