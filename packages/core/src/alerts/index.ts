export * from "./rules";
export * from "./evaluation";
export * from "./attention";
export * from "./messages";
export * from "./channels";
export * from "./startup-grace";
