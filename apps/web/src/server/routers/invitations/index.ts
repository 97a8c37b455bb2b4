import { router } from "../../trpc";
import { acceptInvitation } from "./accept";
import { createInvitation } from "./create";
import { issueInvitationLink } from "./issue-link";
import { listInvitations } from "./list";
import { previewInvitation } from "./preview";
import { revokeInvitation } from "./revoke";

export const invitationsRouter = router({
  list: listInvitations,
  create: createInvitation,
  revoke: revokeInvitation,
  issueLink: issueInvitationLink,
  preview: previewInvitation,
  accept: acceptInvitation,
});
