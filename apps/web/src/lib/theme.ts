// The dashboard's theme choice, shared by the root layout (server) and the header's control (client).
export const THEME_COOKIE = "bandkeeper-theme";
export const THEMES = ["system", "light", "dark"] as const;
export type Theme = (typeof THEMES)[number];

/** The cookie's value as a theme; anything else follows the system. */
export function themeOf(value: string | undefined): Theme {
  return THEMES.find((theme) => theme === value) ?? "system";
}
