import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import {
  isRouteErrorResponse,
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  useMatches,
  useRouteError,
  useRouteLoaderData,
} from "@remix-run/react";
import { useMemo } from "react";
import { I18nextProvider, useTranslation } from "react-i18next";
import { AppShell } from "~/components/app-shell";
import { getCurrentUser, pendingStep } from "~/modules/auth/guards.server";
import styles from "~/styles/app.css";
import { createI18n, DEFAULT_LOCALE, type Locale, translator } from "~/utils/i18n";
import { getLocale } from "~/utils/locale.server";
import { useErrorId, useNonce } from "~/utils/page-context";

const ZOD_WITHOUT_EVAL = "globalThis.__zod_globalConfig = Object.assign(globalThis.__zod_globalConfig || {}, { jitless: true });";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: styles },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

/** Pages without a title of their own (and error pages) carry the product's name, in the reader's language. */
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: translator(data?.locale ?? DEFAULT_LOCALE)("app.name") }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getCurrentUser(request);
  const locale = getLocale(request, user);
  return {
    locale,
    user: user
      ? {
          id: user.id,
          displayName: user.displayName,
          roles: user.roles,
          cadreId: user.cadreId,
          mustChangePassword: user.mustChangePassword,
          signedIn: pendingStep(user) === null,
        }
      : null,
  };
}

export type RootData = Awaited<ReturnType<typeof loader>>;

export function useRootData() {
  return useRouteLoaderData<typeof loader>("root");
}

/**
 * A route whose handle says `{ publicDocument: { stylesheet } }` (the public rating page) gets a bare
 * document: its own small stylesheet, no application shell, and no scripts at all — the page works as
 * plain HTML forms on a slow phone or in a chat app's browser.
 */
export type PublicDocumentHandle = { publicDocument: { stylesheet: string } };

function usePublicDocument() {
  const leaf = useMatches().at(-1)?.handle as Partial<PublicDocumentHandle> | undefined;
  return leaf?.publicDocument;
}

export function Layout({ children }: { children: React.ReactNode }) {
  const data = useRootData();
  const locale: Locale = data?.locale ?? DEFAULT_LOCALE;
  const i18n = useMemo(() => createI18n(locale), [locale]);
  const nonce = useNonce();
  const publicDocument = usePublicDocument();
  if (publicDocument) {
    return (
      <html lang={locale === "en" ? "en" : "zh-CN"}>
        <head>
          <meta charSet="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <Meta />
          <link rel="stylesheet" href={publicDocument.stylesheet} />
          <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
        </head>
        <body className="public-document">
          <I18nextProvider i18n={i18n}>{children}</I18nextProvider>
        </body>
      </html>
    );
  }
  return (
    <html lang={locale === "en" ? "en" : "zh-CN"}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
        {/* Before any module: the page's policy allows no eval, and zod would probe for it (new Function)
            when a route's schemas are built, which the browser reports as a violation. */}
        <script
          nonce={nonce}
          // biome-ignore lint/security/noDangerouslySetInnerHtml: a constant of ours, no data in it
          dangerouslySetInnerHTML={{ __html: ZOD_WITHOUT_EVAL }}
        />
      </head>
      <body>
        <I18nextProvider i18n={i18n}>
          <AppShell user={data?.user ?? null} locale={locale}>
            {children}
          </AppShell>
        </I18nextProvider>
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  return <Outlet />;
}

export function ErrorBoundary() {
  const error = useRouteError();
  return <ErrorPage error={error} />;
}

export function ErrorPage({ error }: { error: unknown }) {
  const { t } = useTranslation();
  const status = isRouteErrorResponse(error) ? error.status : 500;
  const errorId = useErrorId();
  const [title, hint] =
    status === 404
      ? [t("errors.notFound"), t("errors.notFoundHint")]
      : status === 403
        ? [t("errors.forbidden"), t("errors.forbiddenHint")]
        : [t("errors.server"), t("errors.serverHint")];
  return (
    <section className="error-page" data-status={status}>
      <p className="error-code">{t("errors.status", { status })}</p>
      <h1>{title}</h1>
      <p>{hint}</p>
      {status >= 500 && errorId ? (
        <p className="error-id" data-error-id={errorId}>
          {t("errors.errorId", { id: errorId })}
        </p>
      ) : null}
      <a className="button" href="/">
        {t("errors.goHome")}
      </a>
    </section>
  );
}
