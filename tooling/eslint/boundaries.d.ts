import type { Linter } from "eslint";

export declare const envOnlyInEnvFiles: Linter.Config;
export declare const corePurity: Linter.Config;
