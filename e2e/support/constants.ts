// Set by the global setup; workers inherit the runner's environment and read them.
export const BASE_URL_VARIABLE = "BANDKEEPER_E2E_BASE_URL";
export const DATABASE_URL_VARIABLE = "BANDKEEPER_E2E_DATABASE_URL";
// The bundled simulator's REST base: Binance's API under /api/v3, its control surface under /admin.
export const SIMULATOR_URL_VARIABLE = "BANDKEEPER_E2E_SIMULATOR_URL";
// The engine's Prometheus endpoint.
export const ENGINE_METRICS_URL_VARIABLE = "BANDKEEPER_E2E_ENGINE_METRICS_URL";
// The key the stack's web app and engine decrypt exchange secrets with; factories encrypt with it.
export const ENCRYPTION_KEY_VARIABLE = "BANDKEEPER_E2E_ENCRYPTION_KEY";
