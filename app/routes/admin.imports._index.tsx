import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { ErrorList, Field, FormErrors, SelectField } from "~/components/forms";
import { requireUser } from "~/modules/auth/guards.server";
import { batchViewer, requireImportAccess } from "~/modules/imports/access.server";
import { IMPORT_EXTENSIONS, MAX_IMPORT_MB } from "~/modules/imports/constants";
import { removeTempFile } from "~/modules/imports/files.server";
import { describeImportKind, type ImportKindView } from "~/modules/imports/kinds";
import { problemMessages } from "~/modules/imports/messages";
import { paramField } from "~/modules/imports/schema";
import { listImportBatches, previewImport } from "~/modules/imports/service.server";
import { receiveUpload } from "~/modules/imports/upload.server";
import { formatDateTime } from "~/utils/dates";
import { getDb } from "~/utils/db.server";
import { pageTitle } from "~/utils/meta";
import { invalidForm } from "~/utils/responses.server";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (t) => t("imports.titles.index"));

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const kinds = requireImportAccess(user);
  return {
    kinds: kinds.map(describeImportKind),
    batches: await listImportBatches(getDb(), batchViewer(user)),
  };
}

/**
 * The upload: who may upload what is settled from the form's fields before the file is read
 * (receiveUpload); then the file is read once, as a stream, and kept with its preview.
 */
export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  requireImportAccess(user);
  const upload = await receiveUpload(request, user, getDb());
  if (!upload.ok) return invalidForm(upload.errors);
  try {
    const result = await previewImport(
      getDb(),
      { userId: user.id },
      { kind: upload.kind, params: upload.params, fileName: upload.fileName, path: upload.path, sheet: upload.sheet },
      { scope: user.scope },
    );
    // Problems of the file or its header row: nothing to preview, so they go beside the file field.
    if (!result.ok) return invalidForm({ file: problemMessages(result.problems) });
    return redirect(`/admin/imports/${result.batchId}`);
  } finally {
    await removeTempFile(upload.path);
  }
}

export default function Imports() {
  const { t, i18n } = useTranslation();
  const { kinds, batches } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const errors = result?.errors;
  const [kindId, setKindId] = useState(kinds[0]?.kind ?? "");
  const selected = kinds.find((k) => k.kind === kindId);
  const labelOf = new Map(kinds.map((k) => [k.kind, k.labelKey]));
  return (
    <>
      <div className="page-head">
        <h1>{t("imports.title")}</h1>
      </div>
      <p className="muted">{t("imports.intro")}</p>

      <div className="grid two">
        <section className="card" aria-labelledby="upload">
          <h2 id="upload">{t("imports.upload")}</h2>
          <Form method="post" encType="multipart/form-data" className="stack" noValidate>
            <FormErrors errors={errors} />
            <SelectField
              label={t("imports.kind")}
              name="kind"
              errors={errors}
              value={kindId}
              onChange={(e) => setKindId(e.target.value)}
              options={kinds.map((k) => ({ value: k.kind, label: t(k.labelKey) }))}
            />
            {selected?.params.map((p) => (
              <Field
                key={`${selected.kind}.${p.name}`}
                label={t(p.labelKey)}
                name={paramField(p.name)}
                errors={errors}
                required={p.required}
                hint={p.hintKey ? t(p.hintKey) : undefined}
              />
            ))}
            <div className="field">
              <label htmlFor="import-file">{t("imports.file")}</label>
              <input
                id="import-file"
                name="file"
                type="file"
                accept={[
                  ...IMPORT_EXTENSIONS,
                  "text/csv",
                  "text/plain",
                  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                ].join(",")}
                aria-invalid={errors?.file?.length ? true : undefined}
                aria-describedby="import-file-hint"
              />
              <p className="field-hint" id="import-file-hint">
                {t("imports.fileHint", { mb: MAX_IMPORT_MB })}
              </p>
              <ErrorList errors={errors?.file} />
            </div>
            <Field label={t("imports.sheet")} name="sheet" errors={errors} hint={t("imports.sheetHint")} />
            <button type="submit" className="primary" disabled={busy}>
              {busy ? t("imports.uploading") : t("imports.upload")}
            </button>
          </Form>
        </section>

        <section className="card" aria-labelledby="templates">
          <h2 id="templates">{t("imports.templates")}</h2>
          {kinds.map((k) => (
            <Template key={k.kind} kind={k} />
          ))}
        </section>
      </div>

      <h2>{t("imports.recent")}</h2>
      {batches.length ? (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th>#</th>
                <th>{t("imports.kind")}</th>
                <th>{t("imports.fileName")}</th>
                <th>{t("imports.status")}</th>
                <th className="num">{t("imports.counts.rows")}</th>
                <th className="num">{t("imports.counts.errors")}</th>
                <th>{t("imports.createdAt")}</th>
                <th>{t("imports.createdBy")}</th>
              </tr>
            </thead>
            <tbody>
              {batches.map((b) => (
                <tr key={b.id}>
                  <td>
                    <Link to={`/admin/imports/${b.id}`}>{b.id}</Link>
                  </td>
                  <td>{t(labelOf.get(b.kind) ?? b.kind)}</td>
                  <td>
                    <Link to={`/admin/imports/${b.id}`}>{b.fileName}</Link>
                  </td>
                  <td>
                    <StatusBadge status={b.status} errors={b.counts?.errors ?? 0} />
                  </td>
                  <td className="num">{b.counts?.rows ?? 0}</td>
                  <td className="num">{b.counts?.errors ?? 0}</td>
                  <td>{formatDateTime(b.createdAt, i18n.language)}</td>
                  <td>{b.createdBy ?? "cli"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p className="muted">{t("imports.noBatches")}</p>
      )}
    </>
  );
}

function StatusBadge({ status, errors }: { status: string; errors: number }) {
  const { t } = useTranslation();
  const tone = status === "applied" ? "ok" : status === "discarded" ? "" : errors ? "danger" : "warn";
  return <span className={`badge ${tone}`}>{t(`imports.statuses.${status}`)}</span>;
}

/** A kind's template links (Excel with drop-downs and instructions, or CSV), then its help. */
function Template({ kind }: { kind: ImportKindView }) {
  const { t } = useTranslation();
  return (
    <div>
      <p>
        {t("imports.templateLink", { kind: t(kind.labelKey) })}：
        <a href={`/admin/imports/template/${kind.kind}`} download>
          {t("imports.templateXlsx")}
        </a>
        {" · "}
        <a href={`/admin/imports/template/${kind.kind}?format=csv`} download>
          {t("imports.templateCsv")}
        </a>
      </p>
      {kind.helpKeys.length ? (
        kind.helpKeys.map((key) => (
          <p key={key} className="muted small">
            {t(key)}
          </p>
        ))
      ) : (
        <p className="muted small">
          {kind.columns.map((c) => (c.required ? c.zh : t("imports.optionalColumn", { column: c.zh }))).join(t("imports.separator"))}
        </p>
      )}
    </div>
  );
}
