import { router } from "../../trpc";
import { acceptInvitation } from "./accept";
import { createInvitation } from "./create";
import { listInvitations } from "./list";
import { previewInvitation } from "./preview";
import { revokeInvitation } from "./revoke";

export const invitationsRouter = router({
  list: listInvitations,
  create: createInvitation,
  revoke: revokeInvitation,
  preview: previewInvitation,
  accept: acceptInvitation,
});
