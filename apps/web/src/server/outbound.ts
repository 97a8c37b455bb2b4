// The outbound policy as the dashboard applies it to users' URLs: a webhook when it is saved (the engine checks
// it again at every delivery), an exchange account's own address when it is saved and at every call the server
// makes to it.
import { assessOutboundUrl, createOutboundFetch, type OutboundFetch, type OutboundPolicy, type OutboundRefusal } from "@bandkeeper/outbound";
import { env } from "~/env";
import { fieldError } from "./field-error";

export function outboundPolicy(): OutboundPolicy {
  const settings = env();
  return { allowPrivateNetworks: settings.BANDKEEPER_OUTBOUND_ALLOW_PRIVATE === "true", requireHttps: settings.NODE_ENV === "production" };
}

/** Why the policy refuses the URL now, or null; a host that does not resolve yet is judged at each call. */
export async function outboundRefusal(url: string): Promise<OutboundRefusal | null> {
  const verdict = await assessOutboundUrl(url, { policy: outboundPolicy() });
  return verdict.ok ? null : verdict.refusal;
}

/** The refusal as a field error of the form the URL was typed in. */
export async function checkOutboundField(path: string, url: string): Promise<void> {
  const refusal = await outboundRefusal(url);
  if (refusal !== null) throw fieldError(path, refusal.message);
}

/** The fetch for a user-supplied address. */
export function outboundFetch(): OutboundFetch {
  return createOutboundFetch({ policy: outboundPolicy() });
}
