import { router } from "../../trpc";
import { botDetail } from "./detail";
import { botKpiExport } from "./kpi-export";
import { botKpiSeries } from "./kpi-series";
import { listBots } from "./list";
import { emergencyStopBot, pauseBot, startBot } from "./operate";
import { botsOverview } from "./overview";
import { venueSymbols } from "./venue-symbols";

export const botsRouter = router({
  list: listBots,
  overview: botsOverview,
  detail: botDetail,
  kpiSeries: botKpiSeries,
  kpiExport: botKpiExport,
  start: startBot,
  pause: pauseBot,
  emergencyStop: emergencyStopBot,
  venueSymbols,
});
