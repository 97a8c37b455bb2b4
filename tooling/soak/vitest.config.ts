import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // The schedule, comparison and presence tests are pure; the timeout only guards a loaded machine.
    testTimeout: 15_000,
    hookTimeout: 15_000,
  },
});
