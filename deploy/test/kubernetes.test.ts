// Every Kubernetes manifest in deploy/kubernetes validated against the Kubernetes API's own OpenAPI schemas (the
// npm package kubernetes-models 5.1.0, generated from the Kubernetes OpenAPI definitions, validates each object
// with them) and checked for fields its type does not have (strict-fields.ts, as kubeconform's strict mode), and
// what this product needs of them: probes on the right endpoints, resource requests, secrets only from the Secret,
// engines scaled horizontally, the kustomization listing every manifest.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Namespace, ConfigMap, Secret, Service } from "kubernetes-models/v1";
import { Deployment } from "kubernetes-models/apps/v1";
import { Job } from "kubernetes-models/batch/v1";
import { PodDisruptionBudget } from "kubernetes-models/policy/v1";
import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { unknownFields } from "./strict-fields";

const DIR = fileURLToPath(new URL("../kubernetes/", import.meta.url));

interface Validatable {
  validate(): void;
}

/** The model class of each kind the manifests use, and its module in kubernetes-models; a kind missing here fails the test. */
const MODELS: Record<string, { model: new (data: never) => Validatable; module: string }> = {
  "v1/Namespace": { model: Namespace, module: "v1/Namespace" },
  "v1/ConfigMap": { model: ConfigMap, module: "v1/ConfigMap" },
  "v1/Secret": { model: Secret, module: "v1/Secret" },
  "v1/Service": { model: Service, module: "v1/Service" },
  "apps/v1/Deployment": { model: Deployment, module: "apps/v1/Deployment" },
  "batch/v1/Job": { model: Job, module: "batch/v1/Job" },
  "policy/v1/PodDisruptionBudget": { model: PodDisruptionBudget, module: "policy/v1/PodDisruptionBudget" },
};

interface Manifest {
  file: string;
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string };
  spec?: Record<string, unknown>;
}

const files = readdirSync(DIR).filter((file) => file.endsWith(".yaml") && file !== "kustomization.yaml");
const manifests: Manifest[] = files.flatMap((file) =>
  parseAllDocuments(readFileSync(join(DIR, file), "utf8")).map((doc) => ({ file, ...(doc.toJS() as Omit<Manifest, "file">) })),
);

interface Container {
  name: string;
  image: string;
  args?: string[];
  env?: { name: string; value?: string; valueFrom?: unknown }[];
  envFrom?: { secretRef?: { name: string }; configMapRef?: { name: string } }[];
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  livenessProbe?: { httpGet?: { path: string; port: string | number }; tcpSocket?: unknown };
  readinessProbe?: { httpGet?: { path: string; port: string | number } };
  ports?: { name: string; containerPort: number }[];
}

function containers(manifest: Manifest): Container[] {
  const template = (manifest.spec?.template as { spec: { containers: Container[] } } | undefined)?.spec;
  return template?.containers ?? [];
}

function modelOf(manifest: Omit<Manifest, "file">): { model: new (data: never) => Validatable; module: string } {
  const known = MODELS[`${manifest.apiVersion}/${manifest.kind}`];
  if (!known) throw new Error(`no schema for ${manifest.apiVersion} ${manifest.kind}`);
  return known;
}

/** The schema check, then the unknown-field check (the schemas allow unknown fields, as Kubernetes' do). */
function validate(manifest: Omit<Manifest, "file">): void {
  const { model: Model, module } = modelOf(manifest);
  new Model(manifest as never).validate();
  const unknown = unknownFields(manifest, module);
  if (unknown.length > 0) throw new Error(`unknown fields: ${unknown.join(", ")}`);
}

describe("Kubernetes manifests", () => {
  it("every object validates against the Kubernetes schema of its kind", () => {
    expect(manifests.length).toBeGreaterThanOrEqual(9);
    for (const manifest of manifests) {
      const { file, ...object } = manifest;
      expect(() => validate(object), `${file}: ${manifest.kind} ${manifest.metadata.name}`).not.toThrow();
      expect(manifest.metadata.namespace, `${file} ${manifest.kind}`).toBe(manifest.kind === "Namespace" ? undefined : "bandkeeper");
    }
  });

  it("the schema check bites: a wrong type, a bad quantity or a missing required field fails", () => {
    const engine = manifests.find((m) => m.kind === "Deployment" && m.metadata.name === "bandkeeper-engine")!;
    const { file: _file, ...object } = structuredClone(engine);
    const broken = (edit: (container: Container & Record<string, unknown>, deployment: typeof object) => void) => {
      const copy = structuredClone(object);
      edit(containers({ ...copy, file: "" })[0] as Container & Record<string, unknown>, copy);
      return () => validate(copy);
    };
    expect(broken((c) => (c.resources = { requests: { cpu: "lots" } }))).toThrow(/quantity/);
    expect(broken((c) => (c.ports = [{ name: "metrics", containerPort: "9464" as never }]))).toThrow(/containerPort/);
    expect(broken((_c, d) => delete (d.spec as Record<string, unknown>).selector)).toThrow(/selector/);
    expect(broken((c) => (c.livenessProbes = c.livenessProbe))).toThrow("unknown fields: .spec.template.spec.containers[0].livenessProbes");
    expect(broken((c) => (c.env = [{ name: "A", vaule: "1" } as never]))).toThrow("unknown fields: .spec.template.spec.containers[0].env[0].vaule");
  });

  it("web and engines: probes on their health endpoints, resource requests, secrets only from the Secret", () => {
    const deployments = manifests.filter((m) => m.kind === "Deployment");
    expect(deployments.map((d) => d.metadata.name).sort()).toEqual(["bandkeeper-engine", "bandkeeper-web"]);
    for (const deployment of deployments) {
      for (const container of containers(deployment)) {
        expect(container.resources?.requests?.cpu, deployment.metadata.name).toBeTruthy();
        expect(container.resources?.requests?.memory, deployment.metadata.name).toBeTruthy();
        expect(container.livenessProbe, deployment.metadata.name).toBeDefined();
        expect(container.readinessProbe?.httpGet, deployment.metadata.name).toBeDefined();
        expect(container.envFrom?.some((source) => source.secretRef?.name === "bandkeeper")).toBe(true);
        for (const variable of container.env ?? []) expect(/SECRET|PASSWORD|KEY|DATABASE_URL/.test(variable.name) && variable.value !== undefined, variable.name).toBe(false);
      }
    }
    const [engine] = containers(deployments.find((d) => d.metadata.name === "bandkeeper-engine")!);
    expect(engine?.args).toEqual(["engine"]);
    expect(engine?.livenessProbe?.httpGet?.path).toBe("/healthz");
    expect(engine?.readinessProbe?.httpGet?.path).toBe("/readyz");
    expect(engine?.ports?.find((p) => p.name === "metrics")?.containerPort).toBe(9464);
    const [web] = containers(deployments.find((d) => d.metadata.name === "bandkeeper-web")!);
    expect(web?.readinessProbe?.httpGet?.path).toBe("/api/health");
    // A database outage must not restart the dashboard: its liveness does not ask the database.
    expect(web?.livenessProbe?.httpGet).toBeUndefined();
  });

  it("engines scale horizontally and get time to cancel their orders; migrations are a Job; settings agree with the engine's", () => {
    const engine = manifests.find((m) => m.kind === "Deployment" && m.metadata.name === "bandkeeper-engine")!;
    expect(engine.spec?.replicas).toBeGreaterThanOrEqual(2);
    const pod = (engine.spec?.template as { spec: { terminationGracePeriodSeconds: number } }).spec;
    expect(pod.terminationGracePeriodSeconds).toBeGreaterThanOrEqual(75);
    const job = manifests.find((m) => m.kind === "Job")!;
    expect(containers(job)[0]?.args).toEqual(["migrate"]);
    const config = manifests.find((m) => m.kind === "ConfigMap") as Manifest & { data: Record<string, string> };
    expect(config.data.ENGINE_METRICS_HOST).toBe("0.0.0.0");
    expect(config.data.ENGINE_METRICS_PORT).toBe("9464");
    const service = manifests.find((m) => m.kind === "Service" && m.metadata.name === "bandkeeper-web")!;
    expect((service.spec?.selector as Record<string, string>)["app.kubernetes.io/name"]).toBe("bandkeeper-web");
  });

  it("the kustomization lists every manifest but the Secret example", () => {
    const kustomization = parseAllDocuments(readFileSync(join(DIR, "kustomization.yaml"), "utf8"))[0]!.toJS() as { resources: string[] };
    expect([...kustomization.resources].sort()).toEqual(files.filter((file) => file !== "secret.example.yaml").sort());
  });
});
