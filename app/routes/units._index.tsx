import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireAccess } from "~/modules/auth/guards.server";
import { hasRole } from "~/modules/auth/roles";
import { mayBrowseOrganization } from "~/modules/organization/access";
import { UnitTreeFilterSchema } from "~/modules/organization/schema";
import type { UnitTreeNode } from "~/modules/organization/unit-tree";
import { listUnitTree } from "~/modules/organization/units.server";
import { getDb } from "~/utils/db.server";
import { formValues } from "~/utils/forms";
import { pageTitle } from "~/utils/meta";
import { UNIT_KINDS } from "~db/schema/enums";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (t) => t("organization.titles.units"));

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireAccess(request, mayBrowseOrganization);
  const filter = UnitTreeFilterSchema.parse(formValues(new URL(request.url).searchParams));
  const tree = await listUnitTree(getDb(), user.scope, filter);
  return { ...tree, kind: filter.kind ?? "", canCreate: hasRole(user, "org_admin") };
}

export default function UnitTree() {
  const { t } = useTranslation();
  const { roots, unitCount, kind, canCreate } = useLoaderData<typeof loader>();
  // A short list opens at its first level; a filtered one opens fully so every match shows.
  const openDepth = kind ? Infinity : roots.length <= 10 ? 1 : 0;
  return (
    <>
      <div className="page-head">
        <h1>{t("organization.units.pageTitle")}</h1>
        <div className="actions">
          <span className="muted small">{t("organization.units.unitCount", { count: unitCount })}</span>
          {canCreate ? (
            <Link className="button" to="/units/new">
              {t("organization.units.newUnit")}
            </Link>
          ) : null}
        </div>
      </div>
      <Form method="get" className="filters">
        <div className="field">
          <label htmlFor="kind">{t("organization.units.filterKind")}</label>
          <select id="kind" name="kind" defaultValue={kind}>
            <option value="">{t("organization.units.allKinds")}</option>
            {UNIT_KINDS.map((k) => (
              <option key={k} value={k}>
                {t(`unitKinds.${k}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="actions">
          <button type="submit" className="secondary">
            {t("actions.filter")}
          </button>
          {kind ? <Link to="/units">{t("actions.reset")}</Link> : null}
        </div>
      </Form>
      <div className="card">
        {roots.length ? (
          <>
            <p className="muted small">{t("organization.units.treeHint")}</p>
            <ul className="tree">
              {roots.map((node) => (
                <UnitBranch key={node.id} node={node} depth={0} openDepth={openDepth} />
              ))}
            </ul>
          </>
        ) : (
          <p className="muted">{kind ? t("common.noResults") : t("organization.units.empty")}</p>
        )}
      </div>
    </>
  );
}

function UnitBranch({ node, depth, openDepth }: { node: UnitTreeNode; depth: number; openDepth: number }) {
  const { t } = useTranslation();
  const label = (
    <span className={node.matches ? undefined : "muted"}>
      <Link to={`/units/${node.id}`}>{node.name}</Link> <span className="muted small">{node.code}</span>{" "}
      <span className="badge">{t(`unitKinds.${node.kind}`)}</span>{" "}
      <span className="muted small">
        {t("organization.units.people", { count: node.activeCadres })}
        {node.children.length ? ` · ${t("organization.units.subtreeCadres", { count: node.subtreeCadres })}` : ""}
      </span>
    </span>
  );
  if (!node.children.length) return <li>{label}</li>;
  return (
    <li>
      <details open={depth < openDepth}>
        <summary>{label}</summary>
        <ul>
          {node.children.map((child) => (
            <UnitBranch key={child.id} node={child} depth={depth + 1} openDepth={openDepth} />
          ))}
        </ul>
      </details>
    </li>
  );
}
