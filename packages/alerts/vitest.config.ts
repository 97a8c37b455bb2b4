import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Delivery tests use Postgres, a real SMTP server and an HTTP receiver.
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
