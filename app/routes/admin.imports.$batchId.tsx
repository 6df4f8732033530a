import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useFetcher, useLoaderData, useNavigation } from "@remix-run/react";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { ErrorList, FormErrors } from "~/components/forms";
import { notFoundResponse, requireUser } from "~/modules/auth/guards.server";
import { batchViewer, requireImportAccess, requireImportKind } from "~/modules/imports/access.server";
import { countsText, describeImportKind, type ImportKindView } from "~/modules/imports/kinds";
import { fieldLabel, fieldValue, layoutLine, problemMessages, skippedLine } from "~/modules/imports/messages";
import { BatchActionSchema, BatchIdSchema } from "~/modules/imports/schema";
import { applyImport, discardImport, findImportBatch, findImportBatchKind, rereadWithSheet } from "~/modules/imports/service.server";
import type { ImportCounts } from "~/modules/imports/types";
import { formatDateTime } from "~/utils/dates";
import { getDb } from "~/utils/db.server";
import { parseForm } from "~/utils/forms";
import { pageTitle } from "~/utils/meta";
import { domainErrorResponse, invalidForm } from "~/utils/responses.server";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (t) => t("imports.titles.batch"));

/** Enough to judge a large file; the counts above the table cover the rest, the marked-up file every problem. */
const MAX_PROBLEMS_SHOWN = 500;

function batchId(params: { batchId?: string }): number {
  const parsed = BatchIdSchema.safeParse(params.batchId);
  if (!parsed.success) throw notFoundResponse();
  return parsed.data;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  requireImportAccess(user);
  const found = await findImportBatch(getDb(), batchViewer(user), batchId(params));
  if (!found) throw notFoundResponse();
  const kind = requireImportKind(user, found.kind);
  const { summary, fileKept, ...batch } = found;
  const errorCount = summary.counts.errors ?? summary.errors.length;
  return {
    batch,
    kind: describeImportKind(kind),
    counts: summary.counts,
    errors: summary.errors.slice(0, MAX_PROBLEMS_SHOWN),
    errorCount,
    layout: summary.layout ?? null,
    skipped: summary.skipped ?? [],
    skippedCount: summary.skippedCount ?? 0,
    ignoredColumns: summary.ignoredColumns,
    changes: summary.changes,
    totalChanges: summary.changeCount ?? summary.changes.length,
    applied: summary.applied ?? null,
    // The marked-up file is made from the kept file, which a previewed batch keeps until it is discarded.
    canDownloadRejected: batch.status === "previewed" && errorCount > 0 && fileKept,
    otherSheets: batch.status === "previewed" && fileKept ? (summary.layout?.sheets ?? []).filter((s) => s !== summary.layout?.sheet) : [],
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  requireImportAccess(user);
  const id = batchId(params);
  const viewer = batchViewer(user);
  // Another venue's batch, or anyone else's, does not exist for this user.
  const kind = await findImportBatchKind(getDb(), viewer, id);
  if (!kind) throw notFoundResponse();
  requireImportKind(user, kind);
  const form = parseForm(BatchActionSchema, await request.formData());
  if (!form.ok) return invalidForm(form.errors);
  const actor = { userId: user.id };
  try {
    if (form.data.intent === "discard") {
      await discardImport(getDb(), actor, id);
      return redirect("/admin/imports");
    }
    if (form.data.intent === "sheet") {
      const result = await rereadWithSheet(getDb(), actor, viewer, id, form.data.sheet ?? "", { scope: user.scope });
      if (!result) throw notFoundResponse();
      if (!result.ok) return invalidForm({ sheet: problemMessages(result.problems) });
      return redirect(`/admin/imports/${result.batchId}`);
    }
    return { ok: true as const, outcome: await applyImport(getDb(), actor, id, { scope: user.scope }) };
  } catch (error) {
    return domainErrorResponse(error);
  }
}

type Progress = { status: string; processedRows: number; totalRows: number };

export default function ImportBatch() {
  const { t, i18n } = useTranslation();
  const {
    batch,
    kind,
    counts,
    errors,
    errorCount,
    layout,
    skipped,
    skippedCount,
    ignoredColumns,
    changes,
    totalChanges,
    applied,
    canDownloadRejected,
    otherSheets,
  } = useLoaderData<typeof loader>();
  const confirm = useFetcher<typeof action>();
  const [progress, setProgress] = useState<Progress | null>(null);
  const discarding = useNavigation().state === "submitting";
  const applying = confirm.state !== "idle";

  // Poll while the confirmation runs; the import writes its progress outside its own transaction. A plain
  // fetch of the resource route: the answer is JSON for this bar, not data for Remix to revalidate with.
  useEffect(() => {
    if (!applying) return;
    let stopped = false;
    const timer = setInterval(async () => {
      try {
        const res = await fetch(`/admin/imports/${batch.id}/progress`, { headers: { Accept: "application/json" } });
        if (res.ok && !stopped) setProgress((await res.json()) as Progress);
      } catch {
        // A missed poll only delays the bar.
      }
    }, 500);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [applying, batch.id]);

  const result = confirm.data;
  const outcome = result && "outcome" in result ? result.outcome : null;
  const actionErrors = result && "errors" in result ? result.errors : undefined;
  const canApply = batch.status === "previewed" && errors.length === 0;
  const shown = progress ?? { processedRows: 0, totalRows: batch.totalRows };

  return (
    <>
      <nav className="breadcrumbs" aria-label="breadcrumbs">
        <Link to="/admin/imports">{t("imports.title")}</Link> › {t("imports.batch", { id: batch.id })}
      </nav>
      <div className="page-head">
        <h1>
          {t("imports.batch", { id: batch.id })} · {t(kind.labelKey)}
        </h1>
        <span
          className={`badge ${batch.status === "applied" ? "ok" : batch.status === "discarded" ? "" : errors.length ? "danger" : "warn"}`}
        >
          {t(`imports.statuses.${batch.status}`)}
        </span>
      </div>
      <p className="muted small">
        {batch.fileName} · {t("imports.createdAt")} {formatDateTime(batch.createdAt, i18n.language)}
        {batch.appliedAt ? ` · ${t("imports.appliedAt")} ${formatDateTime(batch.appliedAt, i18n.language)}` : ""}
      </p>

      {outcome?.status === "applied" && outcome.alreadyApplied ? (
        <p className="notice" role="status">
          {t("imports.alreadyApplied")}
        </p>
      ) : null}
      {outcome?.status === "invalid" ? (
        <p className="notice warn" role="alert">
          {t("imports.changedSincePreview")}
        </p>
      ) : null}
      {applied ? (
        <p className="notice" role="status">
          {t("imports.applied", { details: countsText(t, kind, applied.counts) })}
        </p>
      ) : null}
      {batch.status === "discarded" ? <p className="notice warn">{t("imports.discardedNotice")}</p> : null}
      <FormErrors errors={actionErrors} />

      <Counts kind={kind} counts={applied?.counts ?? counts} />

      {layout ? (
        <section className="card" aria-labelledby="read">
          <h2 id="read">{t("imports.layout.title")}</h2>
          <p>{layoutLine(t, layout)}</p>
          <p className="small">
            {t("imports.layout.headers")}：{layout.headers.filter(Boolean).join("、")}
          </p>
          {skippedCount ? (
            <details>
              <summary className="small">{t("imports.layout.skipped", { count: skippedCount })}</summary>
              <ul className="small">
                {skipped.map((s) => (
                  <li key={s.row}>{skippedLine(t, s)}</li>
                ))}
              </ul>
            </details>
          ) : null}
          {otherSheets.length ? (
            <Form method="post" className="sheet-choice field no-print">
              <label htmlFor="sheet">{t("imports.layout.otherSheet")}</label>
              <select id="sheet" name="sheet" defaultValue="">
                {otherSheets.map((s) => (
                  <option key={s} value={s}>
                    {s}
                  </option>
                ))}
              </select>
              <button type="submit" name="intent" value="sheet" className="secondary" disabled={applying || discarding}>
                {t("imports.layout.reread")}
              </button>
              <ErrorList errors={actionErrors?.sheet} />
            </Form>
          ) : null}
        </section>
      ) : null}

      {ignoredColumns.length ? <p className="notice warn">{t("imports.ignoredColumns", { columns: ignoredColumns.join("、") })}</p> : null}

      {errors.length ? (
        <section aria-labelledby="problems">
          <h2 id="problems">{t("imports.errorsTitle")}</h2>
          <p className="notice warn" role="alert">
            {t("imports.errorsHint", { count: errorCount })}
            {errorCount > errors.length ? ` ${t("imports.errorsTruncated", { shown: errors.length })}` : ""}
          </p>
          {canDownloadRejected ? (
            <div className="no-print">
              <p>
                <a className="button" href={`/admin/imports/${batch.id}/rejected`} download>
                  {t("imports.downloadRejected")}
                </a>
              </p>
              <p className="muted small">{t("imports.downloadRejectedHint")}</p>
            </div>
          ) : null}
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th className="num">{t("imports.row")}</th>
                  <th>{t("imports.column")}</th>
                  <th>{t("imports.value")}</th>
                  <th>{t("imports.message")}</th>
                </tr>
              </thead>
              <tbody>
                {errors.map((e, i) => (
                  <tr key={i}>
                    <td className="num">{e.row ?? t("imports.wholeFile")}</td>
                    <td>{e.column ?? ""}</td>
                    <td>{e.value ?? ""}</td>
                    <td>{String(t(e.messageKey, e.params))}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      ) : null}

      {canApply ? (
        <section className="card no-print" aria-live="polite">
          {kind.confirmNoteKey ? <p className="small">{t(kind.confirmNoteKey)}</p> : null}
          <div className="actions">
            <confirm.Form method="post">
              <button type="submit" name="intent" value="confirm" className="primary" disabled={applying || discarding}>
                {applying ? t("imports.applying") : t("imports.confirm")}
              </button>
            </confirm.Form>
            <Form
              method="post"
              onSubmit={(e) => {
                if (!window.confirm(t("imports.discardConfirm"))) e.preventDefault();
              }}
            >
              <button type="submit" name="intent" value="discard" className="danger" disabled={applying || discarding}>
                {t("imports.discard")}
              </button>
            </Form>
          </div>
          {applying ? (
            <div style={{ marginTop: "0.75rem" }}>
              <progress value={shown.processedRows} max={Math.max(shown.totalRows, 1)} style={{ width: "100%" }} />
              <p className="muted small">{t("imports.progress", { processed: shown.processedRows, total: shown.totalRows })}</p>
            </div>
          ) : null}
        </section>
      ) : null}

      <section aria-labelledby="changes">
        <h2 id="changes">{t("imports.changesTitle")}</h2>
        {totalChanges === 0 ? (
          <p className="muted">{errorCount ? t("imports.noChangesUntilFixed") : t("imports.noChanges")}</p>
        ) : (
          <>
            {totalChanges > changes.length ? (
              <p className="muted small">{t("imports.changesTruncated", { shown: changes.length, total: totalChanges })}</p>
            ) : null}
            <div className="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th className="num">{t("imports.row")}</th>
                    <th>{t("imports.action")}</th>
                    <th>{t(kind.keyLabelKey)}</th>
                    <th>{t(kind.nameLabelKey)}</th>
                    <th>{t("imports.details")}</th>
                  </tr>
                </thead>
                <tbody>
                  {changes.map((c) => (
                    <tr key={c.row}>
                      <td className="num">{c.row}</td>
                      <td>
                        <span className={`badge ${c.action === "create" ? "ok" : "warn"}`}>
                          {kind.actionLabels[c.action] ? t(kind.actionLabels[c.action]!) : c.action}
                        </span>
                      </td>
                      <td>{c.key}</td>
                      <td>{c.name}</td>
                      <td>
                        {c.fields.map((f) => (
                          <div key={f.field} className="small">
                            {fieldLabel(t, i18n.language, kind, f.field)}：{fieldValue(t, kind, f, f.before)} →{" "}
                            {fieldValue(t, kind, f, f.after)}
                          </div>
                        ))}
                        {c.note ? <div className="small muted">{t(c.note.messageKey, c.note.params)}</div> : null}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </>
        )}
      </section>
    </>
  );
}

/** Rows read, the kind's own counts in its order, then problems. */
function Counts({ kind, counts }: { kind: ImportKindView; counts: ImportCounts }) {
  const { t } = useTranslation();
  const shown = [{ key: "rows", labelKey: "imports.counts.rows" }, ...kind.counts, { key: "errors", labelKey: "imports.counts.errors" }];
  return (
    <div className="stats" style={{ marginBottom: "1rem" }}>
      {shown.map((c) => (
        <div key={c.key} className="stat" data-count={c.key}>
          <div className="stat-value">{counts[c.key] ?? 0}</div>
          <div className="stat-label">{t(c.labelKey)}</div>
        </div>
      ))}
    </div>
  );
}
