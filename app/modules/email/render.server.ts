import { render, toPlainText } from "@react-email/render";
import { createElement } from "react";
import { EMAIL_TEMPLATES, type EmailTemplate, type EmailTemplateName, type EmailTemplateProps } from "~emails/index";

export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
}

/**
 * Renders a template to what is sent: subject, HTML and a plain-text part. The text is derived from the
 * HTML (one React render per email rather than two); elements marked data-skip-in-text are left out.
 */
export async function renderEmail<N extends EmailTemplateName>(name: N, props: EmailTemplateProps<N>): Promise<RenderedEmail> {
  const template = EMAIL_TEMPLATES[name] as unknown as EmailTemplate<EmailTemplateProps<N>>;
  if (!template) throw new Error(`Unknown email template: ${name}`);
  const html = await render(createElement(template.component as never, props as never));
  return { subject: template.subject(props), html, text: toPlainText(html) };
}
