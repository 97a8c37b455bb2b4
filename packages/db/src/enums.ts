// The schema's enums alone: no client, no node: imports, safe in browser bundles.
export * from "./generated/prisma/enums";
