import { QueryClient, defaultShouldDehydrateQuery } from "@tanstack/react-query";
import superjson from "superjson";

export function makeQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      // Server-rendered data stays fresh briefly so the client does not refetch it on hydration.
      queries: { staleTime: 10_000 },
      dehydrate: {
        serializeData: superjson.serialize,
        // Pending queries are streamed to the client too, so a server prefetch never blocks the page.
        shouldDehydrateQuery: (query) => defaultShouldDehydrateQuery(query) || query.state.status === "pending",
      },
      hydrate: { deserializeData: superjson.deserialize },
    },
  });
}
