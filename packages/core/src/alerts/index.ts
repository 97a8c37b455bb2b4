export * from "./rules";
export * from "./evaluation";
export * from "./messages";
export * from "./channels";
