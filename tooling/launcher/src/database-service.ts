// The embedded PostgreSQL as a service of `npm start`: this process starts it and stops it on SIGTERM. The launcher
// runs it in a process group of its own, so a terminal's Ctrl-C (sent to the launcher's group) never reaches
// Postgres: the launcher stops it last, after the engine has cancelled its orders and written what it owes.
// Messages to the launcher go over the IPC channel; when that channel closes (the launcher is gone), the database
// stops too.
import { parseArgs } from "node:util";
import { startDatabase } from "@bandkeeper/db/postgres";

export type DatabaseServiceMessage = { type: "ready"; url: string; embedded: boolean } | { type: "failed"; message: string };

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { "data-dir": { type: "string" } } });
  const projectDataDir = values["data-dir"];
  if (!projectDataDir) throw new Error("--data-dir is required");
  const tell = (message: DatabaseServiceMessage) => process.send?.(message);

  let database: Awaited<ReturnType<typeof startDatabase>>;
  try {
    database = await startDatabase({ projectDataDir });
  } catch (error) {
    tell({ type: "failed", message: error instanceof Error ? error.message : String(error) });
    process.disconnect?.();
    process.exitCode = 1;
    return;
  }
  let stopping: Promise<void> | undefined;
  const stop = (why: string) =>
    (stopping ??= database.stop().then(
      () => {
        console.log(`PostgreSQL stopped (${why}).`);
        process.exit(0);
      },
      (error: unknown) => {
        console.error(`PostgreSQL did not stop cleanly: ${error instanceof Error ? error.message : String(error)}`);
        process.exit(1);
      },
    ));
  process.on("SIGTERM", () => void stop("SIGTERM"));
  // Detached from the terminal, so a SIGINT only comes from someone who means this process.
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("disconnect", () => void stop("the launcher went away"));
  tell({ type: "ready", url: database.url, embedded: database.embedded });
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
