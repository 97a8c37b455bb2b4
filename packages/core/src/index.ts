export * from "./time";
export * from "./side";
export * from "./money";
export * from "./config";
export * from "./pricing";
export * from "./quoting";
export * from "./orders";
export * from "./risk";
