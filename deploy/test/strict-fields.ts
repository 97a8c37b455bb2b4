// Unknown fields in a Kubernetes manifest (a typo such as `livenessProbes`), which the schema validation lets
// through as Kubernetes' OpenAPI definitions do: every key is looked up among the fields of the object's type, as
// kubernetes-models declares them (its .d.ts files, generated from the same definitions), recursively.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The node_modules folders a package may be installed in, nearest first (the packages export only ESM entry points). */
const NODE_MODULES = [fileURLToPath(new URL("../node_modules/", import.meta.url)), fileURLToPath(new URL("../../node_modules/", import.meta.url))];

/** The declaration file of `specifier` (a package name and subpath), looked up from `from`'s own node_modules first. */
function declarationOf(specifier: string, from?: string): string {
  const nearest = from === undefined ? [] : [from.slice(0, from.lastIndexOf("node_modules/") + "node_modules/".length)];
  for (const folder of [...nearest, ...NODE_MODULES]) {
    const candidate = join(folder, `${specifier}.d.ts`);
    if (existsSync(candidate)) return candidate;
  }
  throw new Error(`no declaration file for ${specifier}`);
}

interface TypeInfo {
  /** Field name → its declared type's text. */
  fields: Map<string, string>;
  /** Type name → the declaration file it comes from. */
  imports: Map<string, string>;
  /** `extends TypeMeta`: apiVersion and kind. */
  typeMeta: boolean;
}

const cache = new Map<string, TypeInfo>();

function typeInfo(file: string): TypeInfo {
  const known = cache.get(file);
  if (known) return known;
  const text = readFileSync(file, "utf8");
  const imports = new Map<string, string>();
  for (const [, name, from] of text.matchAll(/^import \{ (\w+) \} from "([^"]+)";$/gm)) {
    imports.set(name!, from!.startsWith(".") ? join(dirname(file), from!.replace(/\.js$/, ".d.ts")) : declarationOf(from!, file));
  }
  const body = /^export interface \w+( extends TypeMeta)? \{\n([\s\S]*?)^\}/m.exec(text);
  const fields = new Map<string, string>();
  // A field's type on its first line; an inline object type (`{ [key: string]: string }`) stays opaque.
  for (const [, name, type] of (body?.[2] ?? "").matchAll(/^ {4}"([^"]+)"\??: (.+?);?$/gm)) fields.set(name!, type!);
  const info = { fields, imports, typeMeta: body?.[1] !== undefined };
  cache.set(file, info);
  return info;
}

/** The paths of fields `value` has that its type (declared in `file`) does not. */
function unknownFieldsOf(value: unknown, file: string, path: string): string[] {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return [];
  const info = typeInfo(file);
  const problems: string[] = [];
  for (const [key, item] of Object.entries(value)) {
    if (info.typeMeta && (key === "apiVersion" || key === "kind")) continue;
    const type = info.fields.get(key);
    if (type === undefined) {
      problems.push(`${path}.${key}`);
      continue;
    }
    const element = /^Array<(\w+)>$/.exec(type)?.[1];
    const referenced = element ?? (/^\w+$/.test(type) ? type : undefined);
    const source = referenced === undefined ? undefined : info.imports.get(referenced);
    if (!source) continue;
    if (element !== undefined && Array.isArray(item)) item.forEach((entry, index) => problems.push(...unknownFieldsOf(entry, source, `${path}.${key}[${index}]`)));
    else problems.push(...unknownFieldsOf(item, source, `${path}.${key}`));
  }
  return problems;
}

/** Unknown fields of a manifest of the kind whose model is `kubernetes-models/<modelPath>` (e.g. `apps/v1/Deployment`). */
export function unknownFields(manifest: unknown, modelPath: string): string[] {
  return unknownFieldsOf(manifest, declarationOf(`kubernetes-models/${modelPath}`), "");
}
