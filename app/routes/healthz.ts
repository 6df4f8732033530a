import { databaseIsUp } from "~/modules/system/health.server";
import { getDb } from "~/utils/db.server";

export async function loader() {
  const headers = { "Cache-Control": "no-store" };
  if (await databaseIsUp(getDb())) return Response.json({ status: "ok", db: "ok" }, { headers });
  return Response.json({ status: "error", db: "unreachable" }, { status: 503, headers });
}
