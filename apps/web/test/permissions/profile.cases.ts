import { hashPassword } from "@bandkeeper/db/passwords";
import { MATRIX_PASSWORD, type MatrixWorld, type PermissionCase, type Role } from "./harness";

export const cases: readonly PermissionCase[] = [
  {
    procedure: "profile.changePassword",
    row: "SIGNED_IN",
    // Each call starts from the world's password, whatever an earlier call changed it to.
    input: async (world, role) => {
      const passwordHash = await hashPassword(MATRIX_PASSWORD);
      await world.db.user.update({ where: { id: world.members[role].id }, data: { passwordHash } });
      return { currentPassword: MATRIX_PASSWORD, newPassword: "another-password-2", confirmPassword: "another-password-2" };
    },
  },
  { procedure: "profile.sessions", row: "SIGNED_IN" },
  {
    procedure: "profile.endSession",
    row: "SIGNED_IN",
    input: async (world, role) => ({ sessionId: await sessionOf(world, role) }),
  },
  { procedure: "profile.signOutEverywhere", row: "SIGNED_IN" },
  { procedure: "profile.twoFactor.status", row: "SIGNED_IN" },
  {
    procedure: "profile.twoFactor.begin",
    row: "SIGNED_IN",
    input: async (world, role) => {
      await world.db.user.update({ where: { id: world.members[role].id }, data: { passwordHash: await hashPassword(MATRIX_PASSWORD), totpEnabledAt: null } });
      return { password: MATRIX_PASSWORD };
    },
  },
  // Signed in, each role gets as far as checking the code (none was set up or the code is wrong).
  { procedure: "profile.twoFactor.confirm", row: "SIGNED_IN", input: () => ({ code: "000000" }), whenAllowed: { failsWith: "(BAD_REQUEST|INVALID_INPUT)" } },
  { procedure: "profile.twoFactor.disable", row: "SIGNED_IN", input: () => ({ password: MATRIX_PASSWORD, code: "000000" }), whenAllowed: { failsWith: "INVALID_INPUT" } },
  { procedure: "profile.twoFactor.regenerateRecoveryCodes", row: "SIGNED_IN", input: () => ({ code: "000000" }), whenAllowed: { failsWith: "INVALID_INPUT" } },
];

// A live session of the role's user, straight in the database.
async function sessionOf(world: MatrixWorld, role: Role): Promise<string> {
  const session = await world.db.userSession.create({
    data: { userId: world.members[role].id, sessionVersion: 0, expiresAt: new Date(Date.now() + 60_000) },
    select: { id: true },
  });
  return session.id;
}
