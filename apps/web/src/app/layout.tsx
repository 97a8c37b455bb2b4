import type { Metadata, Viewport } from "next";
import { cookies } from "next/headers";
import { connection } from "next/server";
import { THEME_COOKIE, themeOf } from "~/lib/theme";
import type { ReactNode } from "react";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Bandkeeper", template: "%s · Bandkeeper" },
  description: "Passive liquidity on Binance Spot, kept inside the band.",
};

export const viewport: Viewport = { themeColor: "#0a0a0a", width: "device-width", initialScale: 1 };

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Every page renders per request: the Content-Security-Policy's nonce (src/proxy.ts) is new each time, and a
  // page prerendered at build would carry scripts without it.
  await connection();
  // The header's theme choice; without one the page follows the system (globals.css).
  const theme = themeOf((await cookies()).get(THEME_COOKIE)?.value);
  return (
    <html lang="en" data-theme={theme === "system" ? undefined : theme}>
      <body className="min-h-dvh bg-neutral-950 font-sans text-sm text-neutral-200 antialiased">{children}</body>
    </html>
  );
}
