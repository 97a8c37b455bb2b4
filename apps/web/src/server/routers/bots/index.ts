import { router } from "../../trpc";
import { botDetail } from "./detail";
import { botEvents } from "./events";
import { botKpiExport } from "./kpi-export";
import { botKpiSeries } from "./kpi-series";
import { listBots } from "./list";
import { botMarketHistory } from "./market-history";
import { emergencyStopBot, pauseBot, startBot } from "./operate";
import { emergencyStopAccountBots, pauseAccountBots } from "./operate-account";
import { botsOverview } from "./overview";
import { venueSymbols } from "./venue-symbols";

export const botsRouter = router({
  list: listBots,
  overview: botsOverview,
  detail: botDetail,
  kpiSeries: botKpiSeries,
  kpiExport: botKpiExport,
  marketHistory: botMarketHistory,
  start: startBot,
  pause: pauseBot,
  emergencyStop: emergencyStopBot,
  pauseAccount: pauseAccountBots,
  emergencyStopAccount: emergencyStopAccountBots,
  events: botEvents,
  venueSymbols,
});
