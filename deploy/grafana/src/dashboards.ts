// The three Grafana dashboards: the fleet at a glance, one bot, and the exchange side (connections, latency, rate
// limits, balances). Metric names and labels are the engine's (apps/engine/README.md, "Probes, metrics and logs").
// `npm run grafana -w @bandkeeper/deploy` writes them to grafana/dashboards/*.json, which Grafana provisions.
import type { Dashboard } from "@grafana/schema";
import { dashboard, labelVariable, resetPanelIds, row, stat, table, timeseries } from "./panels";

/** Adds the bot's name (bandkeeper_bot_info) to a per-bot series, for legends. */
const named = (expr: string) => `(${expr}) * on(bot, symbol) group_left(name) bandkeeper_bot_info`;

export function fleetOverview(): Dashboard {
  resetPanelIds();
  return dashboard({
    uid: "bandkeeper-fleet",
    title: "Bandkeeper: fleet overview",
    description: "Every bot of every engine: states, KPIs against their targets, order flow, the journal and alert deliveries.",
    tags: ["fleet"],
    variables: [],
    panels: [
      row("Fleet", 0),
      stat({ title: "Bots running", queries: [{ expr: "count(bandkeeper_bot_info)", instant: true }], w: 4, h: 4, x: 0, y: 1 }),
      stat({ title: "Quoting", queries: [{ expr: 'sum(bandkeeper_bot_state{state="QUOTING"})', instant: true }], w: 4, h: 4, x: 4, y: 1 }),
      stat({
        title: "Faulted, halted or stopped",
        queries: [{ expr: 'sum(bandkeeper_bot_state{state=~"FAULTED|HALTED|STOPPED"}) or vector(0)', instant: true }],
        thresholds: { red: 1 },
        w: 4,
        h: 4,
        x: 8,
        y: 1,
      }),
      stat({ title: "Engines up", queries: [{ expr: 'sum(up{job="bandkeeper-engine"})', instant: true }], w: 4, h: 4, x: 12, y: 1 }),
      stat({
        title: "Two-sided, worst bot (5 min)",
        queries: [{ expr: 'min(bandkeeper_bot_kpi_ratio{kpi="two_sided",window="5m"})', instant: true }],
        unit: "percentunit",
        decimals: 2,
        thresholds: { red: 0.99, amber: 0.999 },
        w: 4,
        h: 4,
        x: 16,
        y: 1,
      }),
      stat({
        title: "Alert deliveries given up (1 h)",
        queries: [{ expr: 'sum(increase(bandkeeper_alert_deliveries_total{outcome="failed"}[1h])) or vector(0)', instant: true }],
        thresholds: { red: 1 },
        w: 4,
        h: 4,
        x: 20,
        y: 1,
      }),
      table({
        title: "KPIs per bot (1 hour)",
        description: "Shares of running time over the last hour of each bot's current engine; targets in docs/kpis.md.",
        queries: [
          { expr: named('bandkeeper_bot_kpi_ratio{kpi="spread_compliance",window="1h"}'), legend: "spread", instant: true },
          { expr: named('bandkeeper_bot_kpi_ratio{kpi="two_sided",window="1h"}'), legend: "two-sided", instant: true },
          { expr: named('bandkeeper_bot_kpi_ratio{kpi="depth_compliance",window="1h"}'), legend: "depth", instant: true },
          { expr: named('bandkeeper_bot_kpi_ratio{kpi="passive_fill_rate",window="1h"}'), legend: "fill rate", instant: true },
        ],
        unit: "percentunit",
        decimals: 3,
        w: 24,
        h: 8,
        x: 0,
        y: 5,
      }),
      row("KPIs over time", 13),
      timeseries({
        title: "Two-sided presence (1 min)",
        queries: [{ expr: named('bandkeeper_bot_kpi_ratio{kpi="two_sided",window="1m"}'), legend: "{{name}}" }],
        unit: "percentunit",
        max: 1,
        w: 12,
        h: 8,
        x: 0,
        y: 14,
      }),
      timeseries({
        title: "Spread compliance (1 min)",
        queries: [{ expr: named('bandkeeper_bot_kpi_ratio{kpi="spread_compliance",window="1m"}'), legend: "{{name}}" }],
        unit: "percentunit",
        max: 1,
        w: 12,
        h: 8,
        x: 12,
        y: 14,
      }),
      row("Flow", 22),
      timeseries({
        title: "Orders sent per second",
        queries: [{ expr: named("sum by (bot, symbol) (rate(bandkeeper_orders_total[5m]))"), legend: "{{name}}" }],
        unit: "ops",
        w: 8,
        h: 8,
        x: 0,
        y: 23,
      }),
      timeseries({
        title: "Fills per second",
        queries: [{ expr: named("sum by (bot, symbol) (rate(bandkeeper_fills_total[5m]))"), legend: "{{name}}" }],
        unit: "ops",
        w: 8,
        h: 8,
        x: 8,
        y: 23,
      }),
      timeseries({
        title: "Journal: records waiting, failed flushes",
        queries: [
          { expr: "bandkeeper_journal_pending", legend: "pending {{instance}}" },
          { expr: "increase(bandkeeper_journal_failed_flushes_total[5m])", legend: "failed flushes {{instance}}" },
        ],
        w: 8,
        h: 8,
        x: 16,
        y: 23,
      }),
      timeseries({
        title: "Alert deliveries",
        queries: [{ expr: "sum by (channel_type, outcome) (increase(bandkeeper_alert_deliveries_total[15m]))", legend: "{{channel_type}} {{outcome}}" }],
        w: 24,
        h: 6,
        x: 0,
        y: 31,
      }),
    ],
  });
}

export function oneBot(): Dashboard {
  resetPanelIds();
  const bot = '{bot=~"$bot"}';
  const kpiStat = (title: string, kpi: string, window: string, x: number, red: number, amber: number) =>
    stat({
      title,
      queries: [{ expr: `bandkeeper_bot_kpi_ratio{bot=~"$bot",kpi="${kpi}",window="${window}"}`, instant: true }],
      unit: "percentunit",
      decimals: 3,
      thresholds: { red, amber },
      w: 4,
      h: 4,
      x,
      y: 1,
    });
  return dashboard({
    uid: "bandkeeper-bot",
    title: "Bandkeeper: one bot",
    description: "One bot: its state, KPIs over 1 minute, 5 minutes and 1 hour, decision latency, order flow, its account's balances and events.",
    tags: ["bot"],
    time: "now-3h",
    variables: [
      labelVariable("name", "Bot", "label_values(bandkeeper_bot_info, name)"),
      labelVariable("bot", "Bot id", 'label_values(bandkeeper_bot_info{name="$name"}, bot)'),
      labelVariable("account", "Account", 'label_values(bandkeeper_bot_info{name="$name"}, account)'),
    ],
    panels: [
      row("Now", 0),
      stat({ title: "State", queries: [{ expr: `bandkeeper_bot_state{bot=~"$bot"} == 1`, legend: "{{state}}", instant: true }], w: 4, h: 4, x: 0, y: 1 }),
      kpiStat("Spread compliance (5 min)", "spread_compliance", "5m", 4, 0.99, 0.998),
      kpiStat("Two-sided (5 min)", "two_sided", "5m", 8, 0.99, 0.999),
      kpiStat("Depth compliance (5 min)", "depth_compliance", "5m", 12, 0.99, 0.9995),
      kpiStat("Two-sided (1 h)", "two_sided", "1h", 16, 0.99, 0.999),
      stat({
        title: "Passive fill rate (1 h)",
        queries: [{ expr: 'bandkeeper_bot_kpi_ratio{bot=~"$bot",kpi="passive_fill_rate",window="1h"}', instant: true }],
        unit: "percentunit",
        decimals: 3,
        w: 4,
        h: 4,
        x: 20,
        y: 1,
      }),
      row("KPIs", 5),
      timeseries({
        title: "KPIs (1 min)",
        queries: [{ expr: `bandkeeper_bot_kpi_ratio{bot=~"$bot",window="1m"}`, legend: "{{kpi}}" }],
        unit: "percentunit",
        max: 1,
        w: 12,
        h: 8,
        x: 0,
        y: 6,
      }),
      timeseries({
        title: "KPI flags",
        description: "1 while the condition holds, as the bot's KPI tracker sees it.",
        queries: [{ expr: `bandkeeper_bot_kpi_flag${bot}`, legend: "{{kpi}}" }],
        unit: "bool_on_off",
        w: 12,
        h: 8,
        x: 12,
        y: 6,
      }),
      row("Speed and flow", 14),
      timeseries({
        title: "Decision latency",
        queries: [
          { expr: `histogram_quantile(0.5, sum by (le) (rate(bandkeeper_decision_seconds_bucket${bot}[5m])))`, legend: "p50" },
          { expr: `histogram_quantile(0.99, sum by (le) (rate(bandkeeper_decision_seconds_bucket${bot}[5m])))`, legend: "p99" },
        ],
        unit: "s",
        w: 8,
        h: 8,
        x: 0,
        y: 15,
      }),
      timeseries({
        title: "Response latency p99",
        description: "A breach of the band until compliant again, per window.",
        queries: [{ expr: `bandkeeper_bot_response_latency_p99_seconds${bot}`, legend: "{{window}}" }],
        unit: "s",
        w: 8,
        h: 8,
        x: 8,
        y: 15,
      }),
      timeseries({
        title: "Orders and fills per second",
        queries: [
          { expr: `sum by (side) (rate(bandkeeper_orders_total${bot}[5m]))`, legend: "orders {{side}}" },
          { expr: `sum by (side) (rate(bandkeeper_fills_total${bot}[5m]))`, legend: "fills {{side}}" },
        ],
        unit: "ops",
        w: 8,
        h: 8,
        x: 16,
        y: 15,
      }),
      row("Account and events", 23),
      timeseries({
        title: "Balances of the bot's account",
        queries: [{ expr: 'bandkeeper_account_balance{account=~"$account"}', legend: "{{asset}} {{state}}" }],
        w: 12,
        h: 8,
        x: 0,
        y: 24,
      }),
      timeseries({
        title: "Bot events (15 min)",
        queries: [{ expr: `increase(bandkeeper_bot_events_total${bot}[15m])`, legend: "{{type}}" }],
        w: 12,
        h: 8,
        x: 12,
        y: 24,
      }),
    ],
  });
}

export function exchangeHealth(): Dashboard {
  resetPanelIds();
  return dashboard({
    uid: "bandkeeper-exchange",
    title: "Bandkeeper: exchange health",
    description: "The exchange side of every engine: connections and reconnects, acknowledgement latency, rate-limit use per account and IP, balances.",
    tags: ["exchange"],
    variables: [labelVariable("account", "Account", "label_values(bandkeeper_account_balance, account)", { multi: true, includeAll: true })],
    panels: [
      row("Connections", 0),
      table({
        title: "Connections now",
        description: "1 while the connection carries frames: the market stream per venue, the WebSocket API per account.",
        queries: [{ expr: "bandkeeper_exchange_connected", legend: "{{connection}} {{venue}} {{account}}", instant: true }],
        w: 12,
        h: 7,
        x: 0,
        y: 1,
      }),
      timeseries({
        title: "Reconnects (15 min)",
        queries: [{ expr: "increase(bandkeeper_exchange_reconnects_total[15m])", legend: "{{connection}} {{venue}} {{account}}" }],
        w: 12,
        h: 7,
        x: 12,
        y: 1,
      }),
      row("Latency", 8),
      timeseries({
        title: "Order acknowledgement p99",
        queries: [{ expr: 'histogram_quantile(0.99, sum by (le, account, kind) (rate(bandkeeper_order_ack_seconds_bucket{account=~"$account"}[5m])))', legend: "{{account}} {{kind}}" }],
        unit: "s",
        w: 12,
        h: 8,
        x: 0,
        y: 9,
      }),
      timeseries({
        title: "Order acknowledgement p50",
        queries: [{ expr: 'histogram_quantile(0.5, sum by (le, account, kind) (rate(bandkeeper_order_ack_seconds_bucket{account=~"$account"}[5m])))', legend: "{{account}} {{kind}}" }],
        unit: "s",
        w: 12,
        h: 8,
        x: 12,
        y: 9,
      }),
      row("Rate limits", 17),
      timeseries({
        title: "Account order limits used",
        queries: [{ expr: 'bandkeeper_rate_limit_used{scope=~"$account"}', legend: "{{scope}} {{limit}}" }],
        w: 12,
        h: 8,
        x: 0,
        y: 18,
      }),
      timeseries({
        title: "IP limits used (per venue host)",
        queries: [{ expr: 'bandkeeper_rate_limit_used{scope=~"ip .*"}', legend: "{{instance}} {{scope}} {{limit}}" }],
        w: 12,
        h: 8,
        x: 12,
        y: 18,
      }),
      row("Balances", 26),
      timeseries({
        title: "Balances",
        queries: [{ expr: 'bandkeeper_account_balance{account=~"$account"}', legend: "{{account}} {{asset}} {{state}}" }],
        w: 24,
        h: 8,
        x: 0,
        y: 27,
      }),
    ],
  });
}

/** Each dashboard by the file Grafana provisions it from. */
export const DASHBOARDS: Record<string, () => Dashboard> = {
  "fleet-overview.json": fleetOverview,
  "bot.json": oneBot,
  "exchange-health.json": exchangeHealth,
};
