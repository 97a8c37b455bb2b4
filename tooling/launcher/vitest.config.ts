import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Each product test runs the whole product (database, simulator, engine, web) on fixed ports of its own and
    // may build the web app: one file at a time.
    fileParallelism: false,
  },
});
