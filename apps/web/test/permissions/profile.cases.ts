import { hashPassword } from "@bandkeeper/db/passwords";
import { MATRIX_PASSWORD, type PermissionCase } from "./harness";

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
];
