import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { clearSessionCookie, getCurrentUser } from "~/modules/auth/guards.server";
import { invalidateSession } from "~/modules/auth/session.server";
import { recordSecurityEvent } from "~/modules/security/events.server";
import { getDb } from "~/utils/db.server";
import { requestOrigin } from "~/utils/request.server";

export async function loader() {
  return redirect("/");
}

/** Ends the session on the server, not only in the browser. */
export async function action({ request }: ActionFunctionArgs) {
  const user = await getCurrentUser(request);
  if (user) {
    await invalidateSession(getDb(), user.sessionId);
    await recordSecurityEvent(getDb(), { kind: "sign_out", userId: user.id, ...requestOrigin(request) });
  }
  return redirect("/login", { headers: { "Set-Cookie": clearSessionCookie() } });
}
