import base from "@bandkeeper/eslint-config";

export default [...base, { ignores: ["next-env.d.ts", ".next/**"] }];
