// Set by the global setup; workers inherit the runner's environment and read the web app's URL from it.
export const BASE_URL_VARIABLE = "BANDKEEPER_E2E_BASE_URL";
