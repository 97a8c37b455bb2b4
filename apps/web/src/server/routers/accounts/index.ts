import { router } from "../../trpc";
import { accountBalances } from "./balances";
import { createAccount } from "./create";
import { createPaperAccount } from "./create-paper";
import { listAccounts } from "./list";
import { disableAccount } from "./disable";
import { enableAccount } from "./enable";

export const accountsRouter = router({
  list: listAccounts,
  create: createAccount,
  createPaper: createPaperAccount,
  balances: accountBalances,
  disable: disableAccount,
  enable: enableAccount,
});
