import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defaultBotConfig } from "@bandkeeper/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BotConfigFileError, readBotConfigFile } from "../../src/replay/config-file";
import { CAPTURE, runCli } from "./cli-runner";

describe("replay config files", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "bk-replay-config-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const write = async (name: string, text: string) => {
    const path = join(dir, name);
    await writeFile(path, text);
    return path;
  };

  it.each([
    ["band.minSpread", "band:\n  minSpread: 0.005\n  maxSpread: 0.004\n"],
    ["reference.method", "reference:\n  method: LAST\n"],
    ["minNotional", "minNotional: -5\n"],
    ["requoteMode", "requoteMode: sometimes\n"],
  ])("rejects a bad value naming %s", async (field, yaml) => {
    const path = await write(`${field}.yaml`, yaml);
    const error = await readBotConfigFile(path).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BotConfigFileError);
    expect((error as BotConfigFileError).issues.map((i) => i.path)).toContain(field);
  });

  it("fills defaults for what a YAML or JSON file leaves out", async () => {
    const yaml = await readBotConfigFile(await write("periodic.yaml", "requoteMode: periodic\nrefreshMs: 1000\n"));
    expect(yaml).toEqual({ ...defaultBotConfig, requoteMode: "periodic", refreshMs: 1000 });
    const json = await readBotConfigFile(await write("band.json", JSON.stringify({ band: { minSpread: 0.001, maxSpread: 0.004 } })));
    expect(json.band).toEqual({ minSpread: 0.001, maxSpread: 0.004 });
    expect(json.reference).toEqual(defaultBotConfig.reference);
  });

  it("the CLI stops before replaying and names the bad field", async () => {
    const path = await write("cli.yaml", "band:\n  minSpread: 0.005\n  maxSpread: 0.004\nfillAvoidance:\n  sweepWidenn: 0.001\n");
    const run = await runCli(["--data", CAPTURE[0] as string, "--symbol", "BTCUSDT", "--config", path, "--json"]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain(`invalid bot config ${path}`);
    expect(run.stderr).toContain("band.minSpread: band minSpread (0.005) must be below maxSpread (0.004)");
    expect(run.stderr).toMatch(/fillAvoidance.*sweepWidenn/);
  });

  it("the CLI explains a missing argument", async () => {
    const run = await runCli(["--symbol", "BTCUSDT"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("--data FILE is required");
  });
});
