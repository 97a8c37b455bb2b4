import { getToken } from "next-auth/jwt";
import { type NextRequest, NextResponse } from "next/server";
import { env } from "~/env";

// An optimistic gate: visitors without a session token go to sign-in before any page renders.
// Pages and procedures still check the session themselves.
export async function proxy(request: NextRequest): Promise<NextResponse> {
  const token = await getToken({ req: request, secret: env().NEXTAUTH_SECRET });
  if (token) return NextResponse.next();
  const signIn = new URL("/signin", request.url);
  const target = `${request.nextUrl.pathname}${request.nextUrl.search}`;
  if (target !== "/") signIn.searchParams.set("callbackUrl", target);
  return NextResponse.redirect(signIn);
}

export const config = {
  // Everything except sign-in, invitation links (their token is the credential), the APIs (which answer 401
  // themselves) and static assets.
  matcher: ["/((?!signin|invite/|api/|_next/static|_next/image|favicon.ico|icon.svg).*)"],
};
