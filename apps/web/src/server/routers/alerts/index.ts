import { router } from "../../trpc";
import { acknowledgeAlert } from "./acknowledge";
import { createAlertChannel } from "./create-channel";
import { createAlertRule } from "./create-rule";
import { setDefaultAlertChannel } from "./default-channel";
import { deleteAlertChannel } from "./delete-channel";
import { deleteAlertRule } from "./delete-rule";
import { alertHistory } from "./history";
import { listAlertChannels } from "./list-channels";
import { listAlertRules } from "./list-rules";
import { openAlertCount } from "./open-count";
import { rotateAlertChannelSecret } from "./rotate-secret";
import { sendAlertTest } from "./send-test";
import { updateAlertChannel } from "./update-channel";
import { updateAlertRule } from "./update-rule";

export const alertsRouter = router({
  rules: listAlertRules,
  createRule: createAlertRule,
  updateRule: updateAlertRule,
  deleteRule: deleteAlertRule,
  channels: listAlertChannels,
  createChannel: createAlertChannel,
  updateChannel: updateAlertChannel,
  deleteChannel: deleteAlertChannel,
  setDefaultChannel: setDefaultAlertChannel,
  rotateSecret: rotateAlertChannelSecret,
  sendTest: sendAlertTest,
  history: alertHistory,
  acknowledge: acknowledgeAlert,
  openCount: openAlertCount,
});
