// With SMTP settings, an invitation's link goes to the invited mailbox only: nobody in the dashboard is shown it,
// an owner included, and the link in the mail is the one that works (issue 12, finding 2).
import { type MailReceiver, decodeQuotedPrintable, startMailReceiver } from "@bandkeeper/alerts/testing";
import type { TestDatabase } from "@bandkeeper/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "../../src/server/errors";
import { createCaller } from "../../src/server/routers";
import type { SessionUser } from "../../src/server/trpc";
import { MATRIX_PASSWORD, type MatrixWorld, openMatrixWorld } from "../permissions/harness";
import { rejection } from "../support/rejection";

let database: TestDatabase;
let world: MatrixWorld;
let mailbox: MailReceiver;

beforeAll(async () => {
  mailbox = await startMailReceiver();
  ({ database, world } = await openMatrixWorld("bk_web_invitation_mail", {
    SMTP_HOST: "127.0.0.1",
    SMTP_PORT: String(mailbox.port),
    NEXTAUTH_URL: "http://dash.example:3000",
    INVITATION_FROM: "Bandkeeper <invites@dash.example>",
  }));
});

afterAll(async () => {
  await mailbox?.close();
  await world?.close();
  await database?.drop();
});

const as = (user: SessionUser | null) => createCaller({ db: database.prisma, user });

describe("invitations by email", () => {
  it("mails the link to the invited address and shows it to nobody, an owner included", async () => {
    const email = `mailed-${world.unique()}@matrix.example`;
    const created = await as(world.members.OWNER).invitations.create({ email, role: "TRADER" });
    expect(created).toMatchObject({ delivery: "EMAIL", path: null });

    const mail = mailbox.mails.find((received) => received.to.includes(email));
    expect(mail?.from).toBe("invites@dash.example");
    const text = decodeQuotedPrintable(mail?.raw ?? "");
    expect(text).toContain(`invited ${email} to join Matrix Desk on Bandkeeper as TRADER`);
    const link = /http:\/\/dash\.example:3000\/invite\/([A-Za-z0-9_-]{43})/.exec(text);
    expect(link).not.toBeNull();

    const joined = await as(null).invitations.accept({ token: link?.[1] ?? "", email, name: "Mailed Member", password: MATRIX_PASSWORD });
    expect(joined.email).toBe(email);
  });

  it("says so when the mail server refuses, and an owner can still get the link", async () => {
    await mailbox.close();
    const email = `unsent-${world.unique()}@matrix.example`;
    const error = await rejection(as(world.members.ADMIN).invitations.create({ email, role: "VIEWER" }));
    expect(error instanceof AppError && error.appCode).toBe("MAIL_FAILED");
    expect(error.message).toBe(`The invitation to ${email} was created, but the email could not be sent. An owner can get its link under Invitations.`);
    const pending = await database.prisma.invitation.findFirstOrThrow({ where: { email } });
    expect((await as(world.members.OWNER).invitations.issueLink({ invitationId: pending.id })).path).toMatch(/^\/invite\//);
  });
});
