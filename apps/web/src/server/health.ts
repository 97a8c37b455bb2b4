// What GET /api/health reports: the web process answers, and its database answers within a deadline. The answer
// names no host, error or version (it is public: load balancers and probes call it without a session).
export interface WebHealth {
  readonly status: "ok" | "unhealthy";
  readonly database: "ok" | "unreachable";
}

/** Something that can run `SELECT 1` (the Prisma client). */
export interface Pingable {
  $queryRaw(query: TemplateStringsArray): Promise<unknown>;
}

export async function webHealth(database: Pingable, timeoutMs = 2_000): Promise<WebHealth> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<"late">((resolve) => {
    timer = setTimeout(() => resolve("late"), timeoutMs);
  });
  try {
    const answer = await Promise.race([database.$queryRaw`SELECT 1`.then(() => "ok" as const), deadline]);
    return answer === "ok" ? { status: "ok", database: "ok" } : { status: "unhealthy", database: "unreachable" };
  } catch {
    return { status: "unhealthy", database: "unreachable" };
  } finally {
    clearTimeout(timer);
  }
}
