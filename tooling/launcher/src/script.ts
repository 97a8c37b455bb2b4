import { SettingsError } from "./settings";

/** Runs a launcher command: its exit code becomes the process's; a bad setting prints its message, nothing more. */
export function runScript(main: () => Promise<number>, failure = "failed"): void {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error instanceof SettingsError ? error.message : error instanceof Error ? `${failure}: ${error.message}` : error);
      process.exit(1);
    },
  );
}
