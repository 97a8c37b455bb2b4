import bcrypt from "bcryptjs";

// bcrypt cost: ~60 ms per hash in pure JS here, slow enough to resist guessing, fast enough for a login.
const COST = 10;

export function hashPassword(password: string): Promise<string> {
  return bcrypt.hash(password, COST);
}

export function verifyPassword(password: string, passwordHash: string): Promise<boolean> {
  return bcrypt.compare(password, passwordHash);
}
