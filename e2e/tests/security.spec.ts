// Issue 12, finding 7 in the browser: every page carries a Content-Security-Policy with a fresh nonce that the
// app's own scripts pass (support/csp.ts fails any test whose pages log a violation), no page can be framed, and a
// mutation sent from another site is refused.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { expect } from "@playwright/test";
import { signInViaApi } from "../support/auth";
import { test } from "../support/csp";
import { demoLogin } from "../support/demo";
import { appCodeOf } from "../support/trpc";

function directives(header: string | undefined): Map<string, string> {
  return new Map((header ?? "").split(";").map((part) => part.trim()).filter(Boolean).map((part) => [part.split(" ")[0]!, part]));
}

test.describe("security headers", () => {
  test("pages carry a CSP with a fresh nonce on every script, no inline allowance and no framing", async ({ page }) => {
    const first = await page.goto("/signin");
    const headers = first!.headers();
    const policy = directives(headers["content-security-policy"]);
    expect(policy.get("frame-ancestors")).toBe("frame-ancestors 'none'");
    expect(policy.get("object-src")).toBe("object-src 'none'");
    expect(policy.get("script-src")).toMatch(/^script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'$/);
    expect(headers["content-security-policy"]).not.toContain("unsafe-inline");
    expect(headers["x-frame-options"]).toBe("DENY");
    const nonce = /'nonce-([^']+)'/.exec(policy.get("script-src") ?? "")![1]!;
    // Next put the nonce on each of its scripts, inline ones included.
    const scripts = await page.locator("script").evaluateAll((elements) => elements.map((element) => (element as HTMLScriptElement).nonce));
    expect(scripts.length).toBeGreaterThan(0);
    expect(scripts.every((value) => value === nonce)).toBe(true);
    // A new request, a new nonce.
    const second = await page.request.get("/signin");
    expect(second.headers()["content-security-policy"]).not.toContain(`'nonce-${nonce}'`);

    await signInViaApi(page, demoLogin("TRADER"));
    const dashboard = await page.goto("/bots");
    expect(directives(dashboard!.headers()["content-security-policy"]).get("frame-ancestors")).toBe("frame-ancestors 'none'");
    await expect(page.getByRole("table", { name: "Bots of this team" })).toBeVisible();
    const api = await page.request.get("/api/trpc/teams.mine");
    expect(api.headers()["x-frame-options"]).toBe("DENY");
  });

  test("another site cannot frame the dashboard's pages, even with the session's cookies", async ({ browser, baseURL }) => {
    // The framing page is another origin on this machine (another port: same site, so the session cookie goes
    // along; a public origin would be stopped by Chromium's local-network protection before our headers count).
    const framer = createServer((_req, res) =>
      res
        .writeHead(200, { "Content-Type": "text/html" })
        .end(`<h1>framer</h1><iframe id="signin" src="${baseURL}/signin"></iframe><iframe id="changes" src="${baseURL}/changes"></iframe>`),
    );
    await new Promise<void>((resolve) => framer.listen(0, "127.0.0.1", resolve));
    // A context of its own, unwatched: the refusal is itself reported as a CSP violation, which is the point here.
    const context = await browser.newContext({ baseURL });
    try {
      const page = await context.newPage();
      await signInViaApi(page, demoLogin("ADMIN"));
      const served = page.waitForResponse((response) => response.url() === `${baseURL}/changes`);
      await page.goto(`http://127.0.0.1:${(framer.address() as AddressInfo).port}/`);
      await expect(page.getByRole("heading", { name: "framer" })).toBeVisible();
      // The dashboard answered the signed-in request, and its headers told the browser not to show it here.
      const response = await served;
      expect(response.status()).toBe(200);
      expect(response.headers()["x-frame-options"]).toBe("DENY");
      for (const id of ["signin", "changes"]) {
        const frame = await page.locator(`#${id}`).elementHandle().then((handle) => handle?.contentFrame());
        await expect.poll(() => frame?.url()).toMatch(/^chrome-error:/);
        await expect(page.frameLocator(`#${id}`).getByRole("button")).toHaveCount(0);
      }
    } finally {
      await context.close();
      await new Promise<void>((resolve) => framer.close(() => resolve()));
    }
  });

  test("a mutation sent from another site's page is refused before it runs", async ({ page }) => {
    await signInViaApi(page, demoLogin("TRADER"));
    const response = await page.request.post("/api/trpc/bots.pause", {
      data: { json: { botId: "any" } },
      headers: { Origin: "https://evil.example" },
      failOnStatusCode: false,
    });
    expect(response.status()).toBe(403);
    expect(await appCodeOf(response)).toBe("CROSS_SITE");
  });
});
