import { router } from "../../trpc";
import { approveChange } from "./approve";
import { botConfig } from "./bot-config";
import { cancelChange } from "./cancel";
import { getChange } from "./get";
import { listChanges } from "./list";
import { newBotOptions } from "./new-bot-options";
import { proposeBot } from "./propose-bot";
import { proposeConfig } from "./propose-config";
import { rejectChange } from "./reject";
import { replayReport } from "./replay-report";

// Change requests (four-eyes; the roles in server/permissions.ts): a member proposes, another member with the right role decides, and an
// approval becomes a new immutable config version (or a new bot) that the engine applies live.
export const changesRouter = router({
  list: listChanges,
  get: getChange,
  botConfig,
  newBotOptions,
  proposeConfig,
  proposeBot,
  approve: approveChange,
  reject: rejectChange,
  cancel: cancelChange,
  replayReport,
});
