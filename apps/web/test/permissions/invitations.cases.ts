import { INVITATION_LIFETIME_MS, newInvitationToken } from "../../src/server/routers/invitations/tokens";
import { MATRIX_PASSWORD, type MatrixWorld, type PermissionCase } from "./harness";

// A pending invitation into the matrix team, straight in the database; returns its id and the link's token.
async function pendingInvitation(world: MatrixWorld) {
  const { token, tokenHash } = newInvitationToken();
  const invitation = await world.db.invitation.create({
    data: {
      teamId: world.teamId,
      email: `invitee-${world.unique()}@matrix.example`,
      role: "TRADER",
      tokenHash,
      invitedById: world.members.OWNER.id,
      expiresAt: new Date(Date.now() + INVITATION_LIFETIME_MS),
    },
  });
  return { id: invitation.id, token };
}

export const cases: readonly PermissionCase[] = [
  { procedure: "invitations.list", row: "INVITE_MEMBERS" },
  {
    procedure: "invitations.create",
    row: "INVITE_MEMBERS",
    input: (world) => ({ email: `new-${world.unique()}@matrix.example`, role: "TRADER" }),
  },
  {
    procedure: "invitations.revoke",
    row: "INVITE_MEMBERS",
    input: async (world) => ({ invitationId: (await pendingInvitation(world)).id }),
  },
  {
    procedure: "invitations.issueLink",
    row: "MANAGE_MEMBERS",
    input: async (world) => ({ invitationId: (await pendingInvitation(world)).id }),
  },
  {
    procedure: "invitations.preview",
    row: "PUBLIC",
    input: async (world) => ({ token: (await pendingInvitation(world)).token }),
  },
  {
    procedure: "invitations.accept",
    row: "PUBLIC",
    input: async (world) => ({ token: (await pendingInvitation(world)).token, name: "New Member", password: MATRIX_PASSWORD }),
  },
];
