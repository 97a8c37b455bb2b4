import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Server tests open real sockets and some play minutes of simulated market; a loaded machine makes them slower.
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
