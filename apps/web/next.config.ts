import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // Internal packages ship TypeScript source; Next compiles them.
  transpilePackages: ["@bandkeeper/binance", "@bandkeeper/core", "@bandkeeper/db", "@bandkeeper/outbound"],
  // Native/driver packages stay as plain Node requires on the server.
  serverExternalPackages: ["pg", "@prisma/client", "@prisma/adapter-pg", "bcryptjs", "ws"],
  poweredByHeader: false,
  // On every response. Pages get their Content-Security-Policy (with a nonce) from src/proxy.ts; the APIs, which
  // serve no HTML, one that allows nothing (but next-auth's, whose few built-in pages have inline styles).
  async headers() {
    const everywhere = [
      { key: "X-Frame-Options", value: "DENY" },
      { key: "X-Content-Type-Options", value: "nosniff" },
      { key: "Referrer-Policy", value: "same-origin" },
    ];
    return [
      { source: "/:path*", headers: everywhere },
      { source: "/api/:path((?!auth/).*)", headers: [{ key: "Content-Security-Policy", value: "default-src 'none'; frame-ancestors 'none'" }] },
    ];
  },
};

export default nextConfig;
