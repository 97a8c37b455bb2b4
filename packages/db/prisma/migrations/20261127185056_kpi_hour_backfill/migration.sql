-- The engine now adds every KPI delta to the hour rollups as well; minute rows written before it did are rolled up
-- here once. Hours that already have a rollup are left as they are, so nothing is counted twice.
INSERT INTO "KpiHourBucket" (id, "botId", hour, "runningMs", "compliantMs", "twoSidedMs", "depthMs", "ordersPlaced",
  "ordersDepthOk", "ordersFilled", "placedNotional", "filledNotional", "latencyCount", "latencySumMs", "latencyMaxMs",
  "latencyHistogram", "updatedAt")
SELECT gen_random_uuid()::text, sums."botId", sums.hour, sums."runningMs", sums."compliantMs", sums."twoSidedMs",
  sums."depthMs", sums."ordersPlaced", sums."ordersDepthOk", sums."ordersFilled", sums."placedNotional",
  sums."filledNotional", sums."latencyCount", sums."latencySumMs", sums."latencyMaxMs",
  COALESCE(histograms.histogram, ARRAY[]::int[]), now()
FROM (
  SELECT "botId", date_trunc('hour', minute) AS hour, sum("runningMs")::int AS "runningMs",
    sum("compliantMs")::int AS "compliantMs", sum("twoSidedMs")::int AS "twoSidedMs", sum("depthMs")::int AS "depthMs",
    sum("ordersPlaced")::int AS "ordersPlaced", sum("ordersDepthOk")::int AS "ordersDepthOk",
    sum("ordersFilled")::int AS "ordersFilled", sum("placedNotional") AS "placedNotional",
    sum("filledNotional") AS "filledNotional", sum("latencyCount")::int AS "latencyCount",
    sum("latencySumMs") AS "latencySumMs", max("latencyMaxMs") AS "latencyMaxMs"
  FROM "KpiBucket"
  GROUP BY "botId", date_trunc('hour', minute)
) AS sums
LEFT JOIN (
  SELECT "botId", hour, array_agg(total ORDER BY i) AS histogram
  FROM (
    SELECT k."botId", date_trunc('hour', k.minute) AS hour, h.i, sum(h.n)::int AS total
    FROM "KpiBucket" k, unnest(k."latencyHistogram") WITH ORDINALITY AS h(n, i)
    GROUP BY k."botId", date_trunc('hour', k.minute), h.i
  ) AS per_bucket
  GROUP BY "botId", hour
) AS histograms ON histograms."botId" = sums."botId" AND histograms.hour = sums.hour
ON CONFLICT ("botId", hour) DO NOTHING;
