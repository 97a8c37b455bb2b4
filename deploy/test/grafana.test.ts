// The Grafana dashboards. Their source (grafana/src) is typed by Grafana's dashboard schema (@grafana/schema), so
// the typecheck refuses a field or value the schema does not allow; here: the JSON files Grafana provisions are
// exactly what the source produces, and each dashboard holds together: unique panel ids, a grid that fits and does
// not overlap, every query on the provisioned datasource reading series and labels the engine exposes, every
// variable used defined.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Dashboard, Panel, RowPanel } from "@grafana/schema";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { DASHBOARDS } from "../grafana/src/dashboards";
import { PROVISIONED_DATASOURCE_UID } from "../grafana/src/panels";
import { dashboardJson, DASHBOARDS_DIR } from "../grafana/src/write";
import { engineLabelNames, engineSeriesNames, labelsIn, seriesIn } from "./metric-names";

const DEPLOY = fileURLToPath(new URL("..", import.meta.url));
const series = engineSeriesNames();
const labels = engineLabelNames();

function panelsOf(dashboard: Dashboard): (Panel | RowPanel)[] {
  return (dashboard.panels ?? []).flatMap((panel) => (panel.type === "row" ? [panel, ...(panel as RowPanel).panels] : [panel]));
}

function queriesOf(dashboard: Dashboard): string[] {
  const panelQueries = panelsOf(dashboard).flatMap((panel) => ((panel as Panel).targets ?? []).map((target) => String(target.expr)));
  const variableQueries = (dashboard.templating?.list ?? []).flatMap((variable) =>
    typeof variable.query === "object" && variable.query !== null ? [String((variable.query as { query: string }).query)] : [],
  );
  return [...panelQueries, ...variableQueries];
}

describe("Grafana dashboards", () => {
  it("the provisioned JSON is what the typed source produces (run `npm run grafana -w @bandkeeper/deploy` after a change)", () => {
    expect(Object.keys(DASHBOARDS).sort()).toEqual(["bot.json", "exchange-health.json", "fleet-overview.json"]);
    for (const [file, build] of Object.entries(DASHBOARDS)) expect(readFileSync(join(DASHBOARDS_DIR, file), "utf8"), file).toBe(dashboardJson(build));
  });

  for (const file of Object.keys(DASHBOARDS)) {
    describe(file, () => {
      const dashboard = JSON.parse(readFileSync(join(DASHBOARDS_DIR, file), "utf8")) as Dashboard;

      it("has a uid, a title, a schema version, and panels with unique ids on a grid that fits and does not overlap", () => {
        expect(dashboard.uid).toMatch(/^bandkeeper-[a-z-]+$/);
        expect(dashboard.title).toMatch(/^Bandkeeper: /);
        expect(dashboard.schemaVersion).toBeGreaterThanOrEqual(36);
        const panels = panelsOf(dashboard);
        expect(panels.length).toBeGreaterThan(5);
        expect(new Set(panels.map((p) => p.id)).size).toBe(panels.length);
        const cells = new Set<string>();
        for (const panel of panels) {
          const { x, y, w, h } = panel.gridPos!;
          expect(x + w, `${panel.title} fits 24 columns`).toBeLessThanOrEqual(24);
          for (let col = x; col < x + w; col++)
            for (let line = y; line < y + h; line++) {
              expect(cells.has(`${col},${line}`), `${panel.title} overlaps at ${col},${line}`).toBe(false);
              cells.add(`${col},${line}`);
            }
        }
      });

      it("queries the provisioned Prometheus through the datasource variable, for series and labels the engine exposes", () => {
        const datasource = dashboard.templating?.list?.find((v) => v.type === "datasource");
        expect(datasource?.current?.value).toBe(PROVISIONED_DATASOURCE_UID);
        for (const panel of panelsOf(dashboard)) {
          if (panel.type === "row") continue;
          const targets = (panel as Panel).targets ?? [];
          expect(targets.length, panel.title).toBeGreaterThan(0);
          for (const target of targets) expect(target.datasource).toEqual({ type: "prometheus", uid: "${datasource}" });
        }
        for (const expr of queriesOf(dashboard)) {
          for (const name of seriesIn(expr)) expect(series.has(name), `${name} in ${expr}`).toBe(true);
          for (const label of labelsIn(expr)) expect(labels.has(label), `label ${label} in ${expr}`).toBe(true);
        }
      });

      it("defines every variable its queries use", () => {
        const defined = new Set((dashboard.templating?.list ?? []).map((v) => v.name));
        for (const expr of queriesOf(dashboard)) for (const [, name] of expr.matchAll(/\$([a-z_]+)/g)) expect(defined.has(name!), `$${name} in ${expr}`).toBe(true);
      });
    });
  }

  it("the provisioning names the datasource uid the dashboards use and the folder compose mounts them in", () => {
    const datasources = parse(readFileSync(join(DEPLOY, "grafana/provisioning/datasources/prometheus.yaml"), "utf8")) as { datasources: { uid: string; url: string }[] };
    expect(datasources.datasources.map((d) => d.uid)).toEqual([PROVISIONED_DATASOURCE_UID]);
    expect(datasources.datasources[0]?.url).toBe("http://prometheus:9090");
    const providers = parse(readFileSync(join(DEPLOY, "grafana/provisioning/dashboards/bandkeeper.yaml"), "utf8")) as { providers: { options: { path: string } }[] };
    const compose = readFileSync(join(DEPLOY, "compose.yaml"), "utf8");
    expect(compose).toContain(`./grafana/dashboards:${providers.providers[0]!.options.path}:ro`);
  });
});
