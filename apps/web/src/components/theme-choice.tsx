"use client";

import { useState } from "react";
import { THEME_COOKIE, type Theme, themeOf } from "~/lib/theme";

/**
 * Light, dark, or the system's. The choice is a cookie, which the root layout turns into `data-theme` on the next
 * load (no inline script, so no flash and nothing for the CSP to allow); this page switches at once.
 */
export function ThemeChoice({ initial }: { initial: Theme }) {
  const [theme, setTheme] = useState<Theme>(initial);
  return (
    <label className="hidden items-center gap-1 text-xs text-neutral-400 sm:flex">
      <span className="sr-only sm:not-sr-only">Theme</span>
      <select
        value={theme}
        onChange={(event) => {
          const next = themeOf(event.target.value);
          setTheme(next);
          document.cookie = `${THEME_COOKIE}=${next}; path=/; max-age=31536000; samesite=lax`;
          if (next === "system") delete document.documentElement.dataset.theme;
          else document.documentElement.dataset.theme = next;
        }}
        className="rounded border border-neutral-800 bg-neutral-950 py-0.5 pr-6 pl-1.5 text-neutral-200 hover:border-neutral-600 focus:border-emerald-500 focus:outline-none"
      >
        <option value="system">System</option>
        <option value="light">Light</option>
        <option value="dark">Dark</option>
      </select>
    </label>
  );
}
