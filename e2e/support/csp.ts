// Every page of every test is watched for Content-Security-Policy violations (issue 12): the browser reports each
// one as a `securitypolicyviolation` event and logs it to the console, and a test whose pages saw any fails. The
// `test` exported here is the base of every spec (factories.ts extends it).
import { type BrowserContext, test as base, expect } from "@playwright/test";

const BINDING = "__bandkeeperCspViolation";

/** Starts collecting the context's CSP violations: call before its pages open. */
export async function watchCsp(context: BrowserContext): Promise<string[]> {
  const violations: string[] = [];
  await context.exposeBinding(BINDING, (_source, text: string) => {
    violations.push(text);
  });
  await context.addInitScript((binding) => {
    document.addEventListener("securitypolicyviolation", (event) => {
      const report = (window as unknown as Record<string, (text: string) => void>)[binding];
      report?.(`${event.effectiveDirective} blocked ${event.blockedURI || "inline"} at ${event.sourceFile}:${event.lineNumber}`);
    });
  }, BINDING);
  context.on("console", (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  return violations;
}

export const test = base.extend({
  context: async ({ context }, use) => {
    const violations = await watchCsp(context);
    await use(context);
    expect(violations, "Content-Security-Policy violations on this test's pages").toEqual([]);
  },
});
