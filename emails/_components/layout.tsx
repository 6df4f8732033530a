import { Body, Button, Container, Head, Hr, Html, Link, Preview, Section, Text } from "@react-email/components";
import type { CSSProperties, ReactNode } from "react";
import { type Locale, translator } from "~/utils/i18n";

/** Every template's props carry the recipient's language and the sending organization's name. */
export interface BaseEmailProps {
  locale: Locale;
  organizationName: string;
}

const fontFamily =
  '-apple-system, BlinkMacSystemFont, "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", "Segoe UI", Roboto, sans-serif';

const styles = {
  body: { backgroundColor: "#f5f6f8", fontFamily, color: "#1f2328", margin: 0, padding: "24px 0" },
  container: { backgroundColor: "#ffffff", border: "1px solid #d9dde3", borderRadius: "8px", maxWidth: "560px", margin: "0 auto" },
  header: { backgroundColor: "#b3261e", borderRadius: "8px 8px 0 0", padding: "14px 24px" },
  brand: { color: "#ffffff", fontSize: "16px", fontWeight: 600, margin: 0 },
  content: { padding: "8px 24px 16px" },
  footer: { padding: "0 24px 16px" },
  footerText: { color: "#5f6670", fontSize: "12px", lineHeight: "18px", margin: "8px 0" },
  button: {
    backgroundColor: "#b3261e",
    borderRadius: "6px",
    color: "#ffffff",
    display: "inline-block",
    fontSize: "15px",
    fontWeight: 600,
    padding: "10px 20px",
    textDecoration: "none",
  },
  small: { color: "#5f6670", fontSize: "13px", lineHeight: "20px" },
  link: { color: "#8c1d18", wordBreak: "break-all" },
} satisfies Record<string, CSSProperties>;

export const textStyle: CSSProperties = { fontSize: "15px", lineHeight: "24px", margin: "12px 0" };
export const smallTextStyle: CSSProperties = styles.small;

/**
 * The frame around every email: who sends it (the organization), the message, and a footer saying why
 * the recipient gets it, which is what makes an automated email from a government office trustworthy.
 */
export function EmailLayout({
  locale,
  organizationName,
  preview,
  reason,
  children,
}: BaseEmailProps & { preview: string; reason: string; children: ReactNode }) {
  const t = translator(locale);
  return (
    <Html lang={locale} dir="ltr">
      <Head>
        {/* Opened on its own in a phone's browser, the message is laid out for the phone's width. */}
        <meta name="viewport" content="width=device-width, initial-scale=1" />
      </Head>
      <Preview>{preview}</Preview>
      <Body style={styles.body}>
        <Container style={styles.container}>
          <Section style={styles.header}>
            <Text style={styles.brand}>
              {t("app.name")} · {organizationName}
            </Text>
          </Section>
          <Section style={styles.content}>{children}</Section>
          <Section style={{ padding: "0 24px" }}>
            <Hr style={{ borderColor: "#d9dde3", margin: 0 }} />
          </Section>
          <Section style={styles.footer}>
            <Text style={styles.footerText}>{reason}</Text>
            <Text style={styles.footerText}>
              {t("email.layout.signature", { organization: organizationName })} · {t("email.layout.automatic")}
            </Text>
          </Section>
        </Container>
      </Body>
    </Html>
  );
}

/** A button, with the bare link under it for mail clients that block buttons (and for the text part). */
export function ActionButton({ href, label, locale }: { href: string; label: string; locale: Locale }) {
  const t = translator(locale);
  return (
    <>
      <Section style={{ margin: "20px 0" }}>
        <Button href={href} style={styles.button}>
          {label}
        </Button>
      </Section>
      {/* The text part already carries the button's link; the fallback would only repeat it. */}
      <Text style={styles.small} data-skip-in-text="true">
        {t("email.layout.linkHint")}
        <br />
        <Link href={href} style={styles.link}>
          {href}
        </Link>
      </Text>
    </>
  );
}
