import { getToken } from "next-auth/jwt";
import { type NextRequest, NextResponse } from "next/server";
import { env } from "~/env";
import { secureCookies } from "~/server/cookies";
import { contentSecurityPolicy, newNonce } from "~/server/security-headers";

// Pages open without a session: sign-in, and invitation links (their token is the credential).
const PUBLIC_PAGES = /^\/(signin(\/|$)|invite\/)/;

// Every page gets a Content-Security-Policy with a fresh nonce, which Next reads from the request header and puts
// on its scripts and styles. Then an optimistic gate: visitors without a session token go to sign-in before any
// page renders (pages and procedures still check the session themselves).
export async function proxy(request: NextRequest): Promise<NextResponse> {
  const settings = env();
  const policy = contentSecurityPolicy({
    nonce: newNonce(),
    development: settings.NODE_ENV === "development",
    https: secureCookies(),
  });
  const { pathname, search } = request.nextUrl;
  if (!PUBLIC_PAGES.test(pathname)) {
    const token = await getToken({ req: request, secret: settings.NEXTAUTH_SECRET, secureCookie: secureCookies() });
    if (!token) {
      const signIn = new URL("/signin", request.url);
      const target = `${pathname}${search}`;
      if (target !== "/") signIn.searchParams.set("callbackUrl", target);
      return NextResponse.redirect(signIn);
    }
  }
  const headers = new Headers(request.headers);
  headers.set("content-security-policy", policy);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set("content-security-policy", policy);
  return response;
}

export const config = {
  // Every page; not the APIs (which answer 401 themselves and carry their own headers, next.config.ts) or static
  // assets.
  matcher: ["/((?!api/|_next/static|_next/image|favicon.ico|icon.svg).*)"],
};
