import NextAuth from "next-auth";
import type { NextRequest } from "next/server";
import { authOptions } from "~/server/auth";

interface RouteContext {
  params: Promise<{ nextauth: string[] }>;
}

function handler(request: NextRequest, context: RouteContext): Promise<Response> {
  return NextAuth(request, context, authOptions()) as Promise<Response>;
}

export { handler as GET, handler as POST };
