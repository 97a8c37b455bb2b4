import type { Metadata, Viewport } from "next";
import { connection } from "next/server";
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
  return (
    <html lang="en" className="dark">
      <body className="min-h-dvh bg-neutral-950 font-sans text-sm text-neutral-200 antialiased">{children}</body>
    </html>
  );
}
