import { DEMO_LOGINS, type DemoLogin } from "@bandkeeper/db/seed";

export { DEMO_SYMBOLS } from "@bandkeeper/db/seed";

export function demoLogin(role: DemoLogin["role"]): DemoLogin {
  const login = DEMO_LOGINS.find((candidate) => candidate.role === role);
  if (!login) throw new Error(`The demo seed has no ${role} login`);
  return login;
}
