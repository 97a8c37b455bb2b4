// Set by the global setup; workers inherit the runner's environment and read them.
export const BASE_URL_VARIABLE = "BANDKEEPER_E2E_BASE_URL";
export const DATABASE_URL_VARIABLE = "BANDKEEPER_E2E_DATABASE_URL";
