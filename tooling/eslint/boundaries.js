// Boundaries the compiler cannot see, as lint rules (issue 15: purity by rule, not by habit).

/** A named setting is read from process.env only in an env.ts file (passing the whole environment on is fine). */
const readsNamedSetting = {
  selector: "MemberExpression[object.type='MemberExpression'][object.object.name='process'][object.property.name='env']",
  message: "Read settings in this package's env.ts (one place that names, parses and documents them), not here.",
};

export const envOnlyInEnvFiles = {
  files: ["**/src/**/*.ts", "**/src/**/*.tsx"],
  ignores: ["**/env.ts"],
  rules: { "no-restricted-syntax": ["error", readsNamedSetting] },
};

/**
 * packages/core is pure domain logic: time and ids come in through ports, IO lives at the edges. So no clock, no
 * randomness, no timers, no process, no network or file system, no database and no exchange client.
 */
export const corePurity = {
  files: ["src/**/*.ts"],
  rules: {
    "no-restricted-globals": [
      "error",
      ...["setTimeout", "setInterval", "setImmediate", "clearTimeout", "clearInterval", "queueMicrotask"].map((name) => ({
        name,
        message: "Timers belong to the host: core is driven by events and ticks with an injected clock.",
      })),
      { name: "performance", message: "Use the injected clock (ports.clock)." },
      { name: "process", message: "Core reads no environment and owns no process: pass settings in." },
      { name: "fetch", message: "IO lives at the edges (apps/engine, packages/binance), not in core." },
      { name: "crypto", message: "Ids come from the injected id generator (ports.ids)." },
    ],
    "no-restricted-properties": [
      "error",
      { object: "Date", property: "now", message: "Use the injected clock (ports.clock)." },
      { object: "Math", property: "random", message: "Use an injected id generator or a seeded source passed in." },
    ],
    "no-restricted-syntax": [
      "error",
      { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: "new Date() reads the wall clock: use the injected clock." },
    ],
    "no-restricted-imports": [
      "error",
      {
        patterns: [
          { group: ["node:*", "fs", "fs/*", "net", "http", "https", "dns", "child_process", "worker_threads", "os", "crypto"], message: "No IO in core." },
          { group: ["ws", "pg", "@prisma/*", "@bandkeeper/db", "@bandkeeper/db/*", "@bandkeeper/binance", "@bandkeeper/binance/*", "@bandkeeper/exchange-sim", "@bandkeeper/exchange-sim/*", "@bandkeeper/outbound", "@bandkeeper/outbound/*"], message: "Core depends on no IO package: the engine adapts them to core's ports." },
        ],
      },
    ],
  },
};
