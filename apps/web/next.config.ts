import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // Internal packages ship TypeScript source; Next compiles them.
  transpilePackages: ["@bandkeeper/binance", "@bandkeeper/core", "@bandkeeper/db"],
  // Native/driver packages stay as plain Node requires on the server.
  serverExternalPackages: ["pg", "@prisma/client", "@prisma/adapter-pg", "bcryptjs", "ws"],
  poweredByHeader: false,
};

export default nextConfig;
