import { type Page, expect } from "@playwright/test";

export interface Login {
  email: string;
  password: string;
}

// Signs in through next-auth's credentials endpoint, as the form does, without clicking through it.
export async function signInViaApi(page: Page, login: Login): Promise<void> {
  const csrf = await page.request.get("/api/auth/csrf");
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const response = await page.request.post("/api/auth/callback/credentials", {
    form: { csrfToken, email: login.email, password: login.password, json: "true" },
  });
  expect(response.ok(), `sign-in of ${login.email} answered ${response.status()}`).toBe(true);
  const cookies = await page.context().cookies();
  expect(cookies.some((cookie) => cookie.name.endsWith("next-auth.session-token"))).toBe(true);
}
