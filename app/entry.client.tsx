import { RemixBrowser } from "@remix-run/react";
import { StrictMode, startTransition } from "react";
import { hydrateRoot } from "react-dom/client";
import { REQUEST_ID_HEADER, rememberErrorId } from "~/utils/page-context";

// The error page the server rendered names its error id; a loader or action that fails later, during a
// navigation, names it in its response's request id header. Either is what the error page then shows.
rememberErrorId(document.querySelector("[data-error-id]")?.getAttribute("data-error-id") ?? null);
const fetchOfThePage = window.fetch.bind(window);
window.fetch = async (...args: Parameters<typeof fetch>) => {
  const response = await fetchOfThePage(...args);
  if (response.status >= 500) rememberErrorId(response.headers.get(REQUEST_ID_HEADER));
  return response;
};

startTransition(() => {
  hydrateRoot(
    document,
    <StrictMode>
      <RemixBrowser />
    </StrictMode>,
  );
});
