import { createContext, useContext } from "react";

/**
 * What the server knows about the page it is rendering and the components need: the nonce that the
 * page's scripts must carry (Content-Security-Policy), and the id of the error being shown, which the
 * server logged with the error (the person reporting it quotes the id; nothing else of the error
 * reaches the browser). entry.server.tsx provides both; in the browser the nonce is not needed after
 * the first render and the error id comes from the page itself or from the failed request.
 */
export interface PageContextValue {
  nonce: string;
  errorId: string | null;
}

export const PageContext = createContext<PageContextValue | null>(null);

/** The header that carries a response's request id, which is also the id of any error it reports. */
export const REQUEST_ID_HEADER = "X-Request-Id";

let browserErrorId: string | null = null;

/**
 * In the browser: the id of the last failed request (a loader or action that failed during a
 * navigation), or of the error page the server rendered.
 */
export function rememberErrorId(id: string | null) {
  browserErrorId = id;
}

export function useNonce(): string {
  return useContext(PageContext)?.nonce ?? "";
}

export function useErrorId(): string | null {
  const context = useContext(PageContext);
  return context ? context.errorId : browserErrorId;
}
