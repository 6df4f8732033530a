import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { requireRole } from "~/modules/auth/guards.server";
import { InviteAccountsSchema, inviteAccounts } from "~/modules/auth/invitations.server";
import { getDb } from "~/utils/db.server";
import { parseForm } from "~/utils/forms";
import { appOrigin } from "~/utils/origin.server";
import { invalidForm } from "~/utils/responses.server";

/** POST only: the accounts page posts the selected userIds here (e.g. with a fetcher). */
export async function loader() {
  return redirect("/admin/accounts");
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireRole(request, "org_admin", "system_admin");
  const form = parseForm(InviteAccountsSchema, await request.formData());
  if (!form.ok) return invalidForm(form.errors);
  const result = await inviteAccounts(getDb(), { userId: user.id }, form.data.userIds, { origin: appOrigin() });
  return { ok: true as const, invited: result.invited.length, invitedIds: result.invited, skipped: result.skipped, errors: undefined };
}
