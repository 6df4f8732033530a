import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { getCurrentUser } from "~/modules/auth/guards.server";
import { setLocale } from "~/modules/auth/service.server";
import { getDb } from "~/utils/db.server";
import { DEFAULT_LOCALE, toLocale } from "~/utils/i18n";
import { localeCookie } from "~/utils/locale.server";
import { safeRedirect } from "~/utils/redirects";

export async function loader() {
  return redirect("/");
}

export async function action({ request }: ActionFunctionArgs) {
  const form = await request.formData();
  const locale = toLocale(String(form.get("locale") ?? "")) ?? DEFAULT_LOCALE;
  const user = await getCurrentUser(request);
  if (user) await setLocale(getDb(), user.id, locale);
  return redirect(safeRedirect(form.get("redirectTo")), { headers: { "Set-Cookie": localeCookie(locale) } });
}
