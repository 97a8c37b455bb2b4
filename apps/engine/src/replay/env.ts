// The replay CLI's only setting from the environment. npm runs a workspace script inside the workspace folder and
// leaves the directory the user typed the command in as INIT_CWD: relative paths on the command line mean that one.
export function invocationDir(env: NodeJS.ProcessEnv = process.env): string {
  const initCwd = env.INIT_CWD;
  return initCwd !== undefined && initCwd !== "" ? initCwd : process.cwd();
}
