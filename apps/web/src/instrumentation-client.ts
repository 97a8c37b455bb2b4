// Runs in the browser before the app: zod compiles fast validators with `new Function` after probing whether eval
// is allowed, and under the dashboard's Content-Security-Policy (no 'unsafe-eval') even the caught probe is
// reported as a violation. Without the JIT it validates the same, from the same schemas.
import { z } from "zod";

z.config({ jitless: true });
