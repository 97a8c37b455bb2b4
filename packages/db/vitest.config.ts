import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Database tests create and migrate their own databases on a machine shared with other work.
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
