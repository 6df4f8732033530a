import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { mayReadUnits, ownUnits } from "~/modules/attendance/reports/unit-report.server";
import { forbiddenResponse, requireUser } from "~/modules/auth/guards.server";
import { hasRole } from "~/modules/auth/roles";
import { getDb } from "~/utils/db.server";
import { pageTitle } from "~/utils/meta";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (t) => t("attendance.titles.units"));

/** A head goes straight to their unit; someone heading several chooses; the organization department uses the report. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  if (!mayReadUnits(user)) throw forbiddenResponse();
  if (hasRole(user, "org_admin") && !user.headOfUnitIds.length && !user.liaisonOfUnitIds.length) throw redirect("/attendance/reports");
  const units = await ownUnits(getDb(), user);
  if (units.length === 1) throw redirect(`/attendance/units/${units[0]!.id}${new URL(request.url).search}`);
  return { units: units.map((u) => ({ id: Number(u.id), name: u.name })) };
}

export default function ChooseUnit() {
  const { t } = useTranslation();
  const { units } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>{t("attendance.unit.chooseUnit")}</h1>
      <ul className="card">
        {units.map((u) => (
          <li key={u.id}>
            <Link to={`/attendance/units/${u.id}`}>{u.name}</Link>
          </li>
        ))}
      </ul>
    </>
  );
}
