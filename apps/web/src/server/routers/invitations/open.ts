import type { Database } from "../../db";
import { AppError } from "../../errors";
import { invitationStatus } from "./status";
import { hashInvitationToken } from "./tokens";

type Reader = Pick<Database, "invitation">;

// The invitation a link's token names, if it can still be accepted; otherwise a message saying why not.
export async function findOpenInvitation(reader: Reader, token: string, now: Date) {
  const invitation = await reader.invitation.findUnique({
    where: { tokenHash: hashInvitationToken(token) },
    select: {
      id: true,
      teamId: true,
      email: true,
      role: true,
      expiresAt: true,
      acceptedAt: true,
      revokedAt: true,
      team: { select: { name: true } },
      invitedBy: { select: { name: true } },
    },
  });
  if (!invitation) throw new AppError("NOT_FOUND", "This invitation link is not valid. Ask for a new one.");
  switch (invitationStatus(invitation, now)) {
    case "ACCEPTED":
      throw new AppError("NOT_FOUND", "This invitation has already been used. Sign in instead.");
    case "REVOKED":
      throw new AppError("NOT_FOUND", "This invitation was withdrawn. Ask for a new one.");
    case "EXPIRED":
      throw new AppError("NOT_FOUND", "This invitation has expired. Ask for a new one.");
    case "PENDING":
      return invitation;
  }
}
