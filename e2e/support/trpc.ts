// Calls to the app's tRPC API with the page's session, as the browser's client makes them (superjson bodies).
import type { APIResponse, Page } from "@playwright/test";

export function callMutation(page: Page, path: string, input: unknown): Promise<APIResponse> {
  return page.request.post(`/api/trpc/${path}`, { data: { json: input }, failOnStatusCode: false });
}

export function callQuery(page: Page, path: string, input: unknown): Promise<APIResponse> {
  const query = encodeURIComponent(JSON.stringify({ json: input }));
  return page.request.get(`/api/trpc/${path}?input=${query}`, { failOnStatusCode: false });
}

// The application error code of a failed call ("NOT_FOUND", "PERMISSION_DENIED", …).
export async function appCodeOf(response: APIResponse): Promise<string | null> {
  const body = (await response.json()) as { error?: { json?: { data?: { appCode?: string | null } } } };
  return body.error?.json?.data?.appCode ?? null;
}
