export { testServerUrl } from "./env";
export { until, untilTrue } from "./until";
