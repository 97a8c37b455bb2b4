import base from "@bandkeeper/eslint-config";
import { corePurity } from "@bandkeeper/eslint-config/boundaries";

export default [...base, corePurity];
