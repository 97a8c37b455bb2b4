// Writes the dashboards to grafana/dashboards/*.json (what Grafana provisions): run after changing src/.
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { DASHBOARDS } from "./dashboards";

export const DASHBOARDS_DIR = fileURLToPath(new URL("../dashboards/", import.meta.url));

export function dashboardJson(build: () => unknown): string {
  return JSON.stringify(build(), null, 2) + "\n";
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const [file, build] of Object.entries(DASHBOARDS)) {
    writeFileSync(DASHBOARDS_DIR + file, dashboardJson(build));
    console.log(`wrote deploy/grafana/dashboards/${file}`);
  }
}
