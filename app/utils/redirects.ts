/**
 * The one rule for redirecting to a target a user supplied (`redirectTo` after sign-in, the language
 * switch, the forced password change): a path on this site, checked before and after decoding, with
 * no control characters and no backslashes (browsers drop tabs and newlines from URLs and read `\` as
 * `/`, so `/\t/evil.example` and `/\evil.example` both lead off-site), normalised as a browser would
 * resolve it. Anything else gives the fallback.
 *
 *   safeRedirect("/classes?year=2026")        → "/classes?year=2026"
 *   safeRedirect("/%09/evil.example/phish")   → "/"
 */
const UNSAFE = /[\p{Cc}\\]/u;
const PROBE = "http://luoshi.invalid";

export function safeRedirect(to: FormDataEntryValue | string | null | undefined, fallback = "/"): string {
  if (typeof to !== "string" || !to.startsWith("/") || to.startsWith("//") || UNSAFE.test(to)) return fallback;
  let decoded: string;
  try {
    decoded = decodeURIComponent(to);
  } catch {
    return fallback;
  }
  if (decoded.startsWith("//") || UNSAFE.test(decoded)) return fallback;
  const url = new URL(to, PROBE);
  if (url.origin !== PROBE || url.pathname.startsWith("//")) return fallback;
  return url.pathname + url.search + url.hash;
}
