import { useTranslation } from "react-i18next";
import { formatDateTime } from "~/utils/dates";

type Issued = {
  userId: number;
  name: string;
  staffNo: string | null;
  unitName: string | null;
  email: string | null;
  password: string;
  expiresAt: string;
  stillDisabled: boolean;
};

/** One-time passwords, shown once: a printable sheet and a CSV built in the browser (never stored). */
export function OneTimePasswordSheet({ issued }: { issued: Issued[] }) {
  const { t, i18n } = useTranslation();
  const expiresAt = issued[0]?.expiresAt;
  const header = [
    t("admin.accounts.staffNo"),
    t("admin.accounts.name"),
    t("admin.accounts.unit"),
    t("admin.accounts.email"),
    t("admin.accounts.otpColumn"),
  ];
  const csv =
    "\uFEFF" +
    [header, ...issued.map((i) => [i.staffNo ?? "", i.name, i.unitName ?? "", i.email ?? "", i.password])]
      .map((row) => row.map((cell) => `"${String(cell).replace(/"/g, '""')}"`).join(","))
      .join("\r\n");
  return (
    <section className="card" aria-labelledby="otp-title" data-testid="otp-sheet">
      <div className="page-head">
        <h2 id="otp-title">{t("admin.accounts.otpTitle")}</h2>
        <div className="actions no-print">
          <a className="button secondary" download="one-time-passwords.csv" href={`data:text/csv;charset=utf-8,${encodeURIComponent(csv)}`}>
            {t("admin.accounts.downloadCsv")}
          </a>
          <button type="button" className="secondary" onClick={() => window.print()}>
            {t("actions.print")}
          </button>
        </div>
      </div>
      <p className="notice warn">
        {t("admin.accounts.otpHint")}
        {expiresAt ? ` ${t("admin.accounts.otpExpires", { at: formatDateTime(expiresAt, i18n.language) })}` : ""}
      </p>
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              {header.map((h) => (
                <th key={h}>{h}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {issued.map((i) => (
              <tr key={i.userId}>
                <td>{i.staffNo}</td>
                <td>{i.name}</td>
                <td>{i.unitName}</td>
                <td>{i.email}</td>
                <td>
                  <code style={{ fontSize: "1.05rem", letterSpacing: "0.05em" }}>{i.password}</code>
                  {i.stillDisabled ? <span className="badge warn no-print"> {t("admin.accounts.otpStillDisabled")}</span> : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
