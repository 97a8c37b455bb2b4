import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Integration tests start Postgres databases, the simulator and engines on a 2-core machine shared with other work.
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // One file at a time: integration files crash, stop and restart databases, simulators and engines, and run side
    // by side they disturbed each other (a venue restart never reconnected in the full suite, twice in CI, while
    // the file alone passed; a database outage test saw another file's orders).
    fileParallelism: false,
  },
});
