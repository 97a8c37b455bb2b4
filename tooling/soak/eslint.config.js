import base from "@bandkeeper/eslint-config";

// The soak's job is building its children's environments (PATH and the settings it gives each process), so the
// env.ts rule does not apply here.
export default [...base, { files: ["src/**/*.ts"], rules: { "no-restricted-syntax": "off" } }];
