import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // The fleet-equivalence and property tests run thousands of decisions; on a loaded 2-core machine they take
    // several seconds, which is not a failure.
    testTimeout: 60_000,
  },
});
