import { describe, expect, it } from "vitest";
import { renderEmail } from "~/modules/email/render.server";
import { EMAIL_TEMPLATE_NAMES, EMAIL_TEMPLATES } from "~emails/index";

const invitation = EMAIL_TEMPLATES.invitation.previewProps;
const reset = EMAIL_TEMPLATES["password-reset"].previewProps;

describe("email templates", () => {
  it.each(EMAIL_TEMPLATE_NAMES)("%s renders HTML and plain text in both languages from its preview props", async (name) => {
    for (const locale of ["zh-CN", "en"] as const) {
      const email = await renderEmail(name, { ...EMAIL_TEMPLATES[name].previewProps, locale } as never);
      expect(email.subject.length).toBeGreaterThan(3);
      expect(email.html).toMatch(new RegExp(`<html[^>]*lang="${locale}"`));
      expect(email.text).not.toMatch(/<[a-z]/i);
      // The footer says who sends it and why the recipient gets it.
      expect(email.text).toContain("示范市委组织部");
      expect(email.text).toContain(locale === "en" ? "You are receiving this email because" : "您收到这封邮件，是因为");
    }
  });

  it("invitation: names the cadre and unit, carries the link once, its expiry and the staff number", async () => {
    const email = await renderEmail("invitation", invitation);
    expect(email.subject).toBe("示范市委组织部邀请您开通落实平台账号");
    expect(email.text).toContain("王晓明同志：您好！");
    expect(email.text).toContain("示范市委组织部已为您（市教育和体育局）开通落实平台账号");
    expect(email.text).toContain(`设置密码并登录 ${invitation.url}`);
    // The HTML fallback line repeats the link for mail clients; the text part needs it once.
    expect(email.text.split(invitation.url)).toHaveLength(2);
    expect(email.html.split(invitation.url).length).toBeGreaterThan(2);
    // Shown in Asia/Shanghai time.
    expect(email.text).toContain("链接 7 天内有效（至 2026/05/08 18:00），只能使用一次。");
    expect(email.text).toContain("以后可以用邮箱或工号 SF01234 登录。");
  });

  it("invitation in English for users who chose English", async () => {
    const email = await renderEmail("invitation", { ...invitation, locale: "en", organizationName: "Shifan Organization Department" });
    expect(email.subject).toBe("Shifan Organization Department invites you to Luoshi");
    expect(email.text).toContain("Dear 王晓明,");
    expect(email.text).toContain(`Set password and sign in ${invitation.url}`);
    expect(email.text).toContain("valid for 7 days (until 08/05/2026, 18:00)");
    expect(email.text).not.toMatch(/[开通账号密码]/);
  });

  it("invitation without a staff number leaves that line out", async () => {
    const email = await renderEmail("invitation", { ...invitation, staffNo: null });
    expect(email.text).not.toContain("工号");
  });

  it("password reset: the link, its lifetime, and what to do if it was not you", async () => {
    const email = await renderEmail("password-reset", reset);
    expect(email.subject).toBe("重置落实平台密码");
    expect(email.text).toContain(`设置新密码 ${reset.url}`);
    expect(email.text).toContain("链接 60 分钟内有效（至 2026/05/01 19:00），只能使用一次。设置新密码后，其他设备上的登录将全部退出。");
    expect(email.text).toContain("如果不是您本人操作，请忽略本邮件，您的密码不会改变。");
    const en = await renderEmail("password-reset", { ...reset, locale: "en" });
    expect(en.subject).toBe("Reset your Luoshi password");
    expect(en.text).toContain("If you did not ask for this, ignore this email");
  });

  it("escapes what users typed", async () => {
    const email = await renderEmail("invitation", { ...invitation, name: '<script>alert("x")</script>', unitName: "A & B" });
    expect(email.html).not.toContain("<script>");
    expect(email.html).toContain("&lt;script&gt;");
    expect(email.text).toContain('<script>alert("x")</script>同志');
  });
});
