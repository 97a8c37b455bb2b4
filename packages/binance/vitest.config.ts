import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Client tests talk to a real simulator over sockets; a loaded machine makes them slower, not wrong.
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
});
