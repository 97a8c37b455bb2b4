import { router } from "../../trpc";
import { auditFilters } from "./filters";
import { listAudit } from "./list";

export const auditRouter = router({
  list: listAudit,
  filters: auditFilters,
});
