// The container stack: compose.yaml as Docker Compose reads it (`docker compose config`, or Debian's
// `docker-compose config`, where installed: validation only, no container runs), and what the stack must hold
// whatever the tool says: every service, health checks, named volumes, only the three published ports, both
// engines scraped and mailed; the image's Dockerfile and entry point covering every role and workspace.
import { execFile, spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

const DEPLOY = fileURLToPath(new URL("..", import.meta.url));
const ROOT = join(DEPLOY, "..");

interface ComposeService {
  image?: string;
  command?: string[];
  ports?: string[];
  environment?: Record<string, string>;
  volumes?: string[];
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string }> | string[];
  restart?: string;
  network_mode?: string;
}
interface ComposeFile {
  services: Record<string, ComposeService>;
  volumes: Record<string, unknown>;
}

/** Values for the file's required variables: `config` only checks that they are set. */
const SECRETS = { POSTGRES_PASSWORD: "pw", NEXTAUTH_SECRET: "x".repeat(32), BANDKEEPER_ENCRYPTION_KEY: "k".repeat(44), GRAFANA_ADMIN_PASSWORD: "pw" };

const compose = parse(readFileSync(join(DEPLOY, "compose.yaml"), "utf8"), { merge: true }) as ComposeFile;

/** The compose CLI on this machine: the docker plugin, or Debian's docker-compose; undefined when neither runs. */
function composeCli(): string[] | undefined {
  for (const command of [["docker", "compose"], ["docker-compose"]]) {
    const probe = spawnSync(command[0]!, [...command.slice(1), "version"], { encoding: "utf8", timeout: 20_000 });
    if (probe.status === 0) return command;
  }
  return undefined;
}

const cli = composeCli();

describe("docker compose config", () => {
  it.skipIf(cli === undefined)("accepts the file and resolves every service (skipped without docker compose or docker-compose)", async () => {
    const [command, ...args] = cli!;
    const { stdout } = await promisify(execFile)(command!, [...args, "-f", join(DEPLOY, "compose.yaml"), "--project-directory", DEPLOY, "config"], {
      env: { PATH: process.env.PATH ?? "", ...SECRETS },
      timeout: 60_000,
    });
    const resolved = parse(stdout) as ComposeFile;
    expect(Object.keys(resolved.services).sort()).toEqual(Object.keys(compose.services).sort());
    expect(resolved.services.web?.environment?.NEXTAUTH_SECRET).toBe(SECRETS.NEXTAUTH_SECRET);
  });

  it.skipIf(cli === undefined)("refuses to run without the secrets, naming the missing one", () => {
    const [command, ...args] = cli!;
    const result = spawnSync(command!, [...args, "-f", join(DEPLOY, "compose.yaml"), "--project-directory", DEPLOY, "config"], {
      env: { PATH: process.env.PATH ?? "", ...SECRETS, POSTGRES_PASSWORD: "" },
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain("POSTGRES_PASSWORD");
  });
});

describe("compose.yaml", () => {
  const services = compose.services;

  it("has every part of the product, two engines among them", () => {
    expect(Object.keys(services).sort()).toEqual(["engine-a", "engine-b", "grafana", "mailpit", "migrate", "postgres", "prometheus", "seed", "simulator", "web"]);
    for (const role of ["web", "engine", "simulator", "migrate", "seed"]) {
      const using = Object.values(services).filter((service) => service.command?.[0] === role);
      expect(using.length, role).toBeGreaterThan(0);
      for (const service of using) expect(service.image).toBe("bandkeeper:local");
    }
    expect(services["engine-a"]?.command).toEqual(["engine"]);
    expect(services["engine-b"]?.command).toEqual(["engine"]);
  });

  it("gives every long-running service a health check, and the one-shot ones none but an order", () => {
    for (const [name, service] of Object.entries(services)) {
      if (name === "migrate" || name === "seed") {
        expect(service.restart, name).toBe("no");
        continue;
      }
      expect(service.healthcheck?.test.length, `${name} health check`).toBeGreaterThan(1);
    }
    expect(services.migrate?.depends_on).toEqual({ postgres: { condition: "service_healthy" } });
    expect(services.web?.depends_on).toMatchObject({ seed: { condition: "service_completed_successfully" } });
    expect(services["engine-a"]?.depends_on).toMatchObject({ migrate: { condition: "service_completed_successfully" } });
  });

  it("publishes only the dashboard, Grafana and Mailpit's web UI on the host; no host networking", () => {
    const published = Object.entries(services).flatMap(([name, service]) => (service.ports ?? []).map((port) => `${name} ${port}`));
    expect(published.sort()).toEqual(["grafana ${GRAFANA_PORT:-3001}:3000", "mailpit ${MAILPIT_PORT:-8025}:8025", "web ${WEB_PORT:-3000}:3000"]);
    for (const [name, service] of Object.entries(services)) expect(service.network_mode, name).toBeUndefined();
  });

  it("keeps state in named volumes only, each declared", () => {
    const named = Object.values(services)
      .flatMap((service) => service.volumes ?? [])
      .map((volume) => volume.split(":")[0]!)
      .filter((source) => !source.startsWith("."));
    expect(new Set(named)).toEqual(new Set(Object.keys(compose.volumes)));
    expect(Object.keys(compose.volumes).sort()).toEqual(["grafana-data", "mailpit-data", "postgres-data", "prometheus-data", "simulator-data"]);
  });

  it("wires the engines to Prometheus (every interface, the scraped port) and their alert email to Mailpit", () => {
    const prometheus = parse(readFileSync(join(DEPLOY, "prometheus/prometheus.yml"), "utf8")) as {
      scrape_configs: { job_name: string; static_configs: { targets: string[] }[] }[];
    };
    const targets = prometheus.scrape_configs.find((job) => job.job_name === "bandkeeper-engine")!.static_configs.flatMap((c) => c.targets);
    for (const name of ["engine-a", "engine-b"]) {
      const env = services[name]!.environment!;
      expect(env.ENGINE_METRICS_HOST).toBe("0.0.0.0");
      expect(targets).toContain(`${name}:${env.ENGINE_METRICS_PORT}`);
      expect(env.SMTP_HOST).toBe("mailpit");
      expect(env.SIMULATOR_URL).toBe("http://simulator:8765");
      expect(services[name]!.healthcheck!.test.join(" ")).toContain(`:${env.ENGINE_METRICS_PORT}/readyz`);
    }
    expect(services.web?.environment?.SMTP_HOST).toBe("mailpit");
    // The provisioning and dashboards Grafana mounts are the files in this folder.
    for (const volume of services.grafana!.volumes!.filter((v) => v.startsWith("./"))) expect(existsSync(join(DEPLOY, volume.split(":")[0]!)), volume).toBe(true);
    expect(existsSync(join(DEPLOY, "prometheus/rules/bandkeeper.rules.yml"))).toBe(true);
  });

  it(".env.example names every variable the file requires", () => {
    const required = [...readFileSync(join(DEPLOY, "compose.yaml"), "utf8").matchAll(/\$\{([A-Z_]+):\?/g)].map((match) => match[1]!);
    const example = readFileSync(join(DEPLOY, ".env.example"), "utf8");
    for (const name of new Set(required)) expect(example, name).toMatch(new RegExp(`^${name}=`, "m"));
    expect(Object.keys(SECRETS).sort()).toEqual([...new Set(required)].sort());
  });
});

describe("the image", () => {
  const dockerfile = readFileSync(join(DEPLOY, "Dockerfile"), "utf8");

  it("copies every workspace's package.json before npm ci, so the lock file installs as it does here", () => {
    const { workspaces } = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { workspaces: string[] };
    const folders = workspaces.flatMap((pattern) =>
      pattern.endsWith("/*") ? readdirSync(join(ROOT, pattern.slice(0, -2))).map((entry) => `${pattern.slice(0, -2)}/${entry}`) : [pattern],
    );
    const packages = folders.filter((folder) => existsSync(join(ROOT, folder, "package.json")));
    expect(packages.length).toBeGreaterThan(10);
    for (const folder of packages) expect(dockerfile, folder).toContain(`COPY ${folder}/package.json ${folder}/`);
    expect(dockerfile.indexOf("RUN npm ci")).toBeGreaterThan(dockerfile.lastIndexOf("/package.json "));
  });

  it("is multi-stage, runs as an unprivileged user, and its entry point knows every role compose and Kubernetes use", () => {
    expect(dockerfile.match(/^FROM /gm)?.length).toBeGreaterThanOrEqual(3);
    expect(dockerfile).toMatch(/^USER node$/m);
    const entrypoint = join(DEPLOY, "docker/entrypoint.sh");
    expect(spawnSync("sh", ["-n", entrypoint]).status).toBe(0);
    const help = spawnSync("sh", [entrypoint, "help"], { encoding: "utf8" });
    expect(help.status).toBe(0);
    for (const role of ["web", "engine", "simulator", "migrate", "seed"]) expect(help.stdout).toContain(`  ${role} `);
    const unknown = spawnSync("sh", [entrypoint, "trader"], { encoding: "utf8" });
    expect(unknown.status).toBe(64);
    expect(unknown.stderr).toContain("unknown role 'trader'");
  });

  it("leaves local state, secrets and build output out of the build context", () => {
    const ignore = readFileSync(join(DEPLOY, "Dockerfile.dockerignore"), "utf8").split("\n");
    for (const entry of ["**/node_modules", ".data", ".git", "**/.env", "**/.next"]) expect(ignore).toContain(entry);
  });
});
