import { unstableToPlainText } from "@react-email/render";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import type { RenderedEmail } from "~/modules/email/render.server";
import WeeklyDigestEmail, { subject, type WeeklyDigestEmailProps } from "~emails/weekly-digest";

/** What React Email's render() puts before the markup. */
const DOCTYPE = '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">';

/**
 * The weekly digest rendered as `renderEmail` renders it, only cheaper, because a province's Monday
 * renders 10,000 of them (docs/decisions/0013-weekly-digest.md):
 * - React's synchronous renderToStaticMarkup in place of React Email's render(), which streams
 *   (renderToReadableStream under a Suspense boundary) at a fixed cost of about 1.2 ms per email. The
 *   template is synchronous, so the markup is the same but for the streaming renderer's markers.
 * - The text part from React Email's newer HTML-to-text converter (`unstableToPlainText`), five times
 *   faster than `toPlainText` (html-to-text). For this template it gives the same text, except that
 *   headings keep their case instead of being capitalised. The tests hold both to renderEmail's output.
 */
export function renderDigest(props: WeeklyDigestEmailProps): RenderedEmail {
  const html = DOCTYPE + renderToStaticMarkup(createElement(WeeklyDigestEmail, props));
  return { subject: subject(props), html, text: unstableToPlainText(html) };
}
