import base from "@bandkeeper/eslint-config";

export default [...base];
