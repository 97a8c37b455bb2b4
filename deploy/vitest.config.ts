import { defineConfig } from "vitest/config";

export default defineConfig({
  // docker-compose, promtool and systemd-analyze run as child processes: slower on a loaded machine.
  test: { include: ["test/**/*.test.ts"], testTimeout: 60_000 },
});
