import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Integration tests start Postgres databases, the simulator and engines on a 2-core machine shared with other work.
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
