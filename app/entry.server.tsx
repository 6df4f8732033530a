import type { ActionFunctionArgs, EntryContext, LoaderFunctionArgs } from "@remix-run/node";
import { RemixServer } from "@remix-run/react";
import { isbot } from "isbot";
// React 18's Node stream writer pads a chunk with NUL bytes where a multi-byte character does not fit
// (react#24985, fixed only in React 19); the web-stream build writes bytes and is byte-clean.
import { renderToReadableStream } from "react-dom/server.browser";
import { createNonce, documentHeaders } from "~/server/security-headers.server";
import { describeError } from "~/utils/log.server";
import { PageContext, REQUEST_ID_HEADER } from "~/utils/page-context";

export { startServer } from "~/server/start.server";

const ABORT_DELAY = 5_000;
export const streamTimeout = ABORT_DELAY;

export default async function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
) {
  const nonce = createNonce();
  const errorId = responseStatusCode >= 500 ? request.headers.get(REQUEST_ID_HEADER) : null;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), ABORT_DELAY);
  const body = await renderToReadableStream(
    <PageContext.Provider value={{ nonce, errorId }}>
      <RemixServer context={remixContext} url={request.url} abortDelay={ABORT_DELAY} nonce={nonce} />
    </PageContext.Provider>,
    {
      nonce,
      signal: controller.signal,
      onError(error: unknown) {
        responseStatusCode = 500;
        if (!controller.signal.aborted) console.error(`[render] ${new URL(request.url).pathname}: ${describeError(error)}`);
      },
    },
  );
  // Crawlers get the whole page at once.
  if (isbot(request.headers.get("user-agent") ?? "")) await body.allReady;
  const stop = () => clearTimeout(timer);
  body.allReady.then(stop, stop);
  responseHeaders.set("Content-Type", "text/html; charset=utf-8");
  documentHeaders(responseHeaders, nonce);
  return new Response(body, { headers: responseHeaders, status: responseStatusCode });
}

/**
 * Unexpected errors are logged with the request's id (shown on the error page) and without request
 * bodies, parameters or other personal data; thrown Responses are expected and not logged.
 */
export function handleError(error: unknown, { request }: LoaderFunctionArgs | ActionFunctionArgs) {
  if (request.signal.aborted) return;
  const id = request.headers.get(REQUEST_ID_HEADER) ?? "-";
  console.error(`[error ${id}] ${request.method} ${new URL(request.url).pathname}: ${describeError(error)}`);
}
