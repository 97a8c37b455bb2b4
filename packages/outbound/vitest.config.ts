import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // DNS lookups and connections to local listeners.
    testTimeout: 15_000,
    hookTimeout: 15_000,
  },
});
