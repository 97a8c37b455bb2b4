import { router } from "../../trpc";
import { listBots } from "./list";

export const botsRouter = router({
  list: listBots,
});
