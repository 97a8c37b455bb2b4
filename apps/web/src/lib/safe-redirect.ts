// Only same-site paths may be followed after sign-in; anything else falls back to the bots page.
export function safeCallbackPath(value: string | string[] | undefined, fallback = "/bots"): string {
  const candidate = Array.isArray(value) ? value[0] : value;
  if (!candidate?.startsWith("/") || candidate.startsWith("//") || candidate.startsWith("/\\")) return fallback;
  return candidate;
}
