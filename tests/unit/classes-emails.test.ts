import { describe, expect, it } from "vitest";
import { resources } from "~/locales";
import { classCalendar } from "~/modules/classes/calendar.server";
import { renderEmail } from "~/modules/email/render.server";
import { EMAIL_TEMPLATES } from "~emails/index";

const CLASS_TEMPLATES = [
  "class-registration",
  "class-waitlist-promotion",
  "class-reminder",
  "class-leave-decision",
  "class-cancelled",
] as const;

function flatten(value: unknown, prefix = ""): string[] {
  if (typeof value !== "object" || value === null) return [prefix];
  return Object.entries(value).flatMap(([k, v]) => flatten(v, prefix ? `${prefix}.${k}` : k));
}

describe("night-class emails", () => {
  it.each(CLASS_TEMPLATES)("%s renders in both languages with the session's Shanghai time", async (name) => {
    for (const locale of ["zh-CN", "en"] as const) {
      const email = await renderEmail(name, { ...EMAIL_TEMPLATES[name].previewProps, locale } as never);
      expect(email.subject).toContain("数字政府建设与基层治理能力提升");
      expect(email.text).toContain(locale === "en" ? "19:30–21:00" : "2026/12/09（周三）19:30–21:00");
      expect(email.text).toContain(locale === "en" ? "You are receiving this email because" : "您收到这封邮件，是因为");
      // Every piece of text was found: an untranslated key would show as "classes.…".
      expect(email.text).not.toMatch(/classes\.[a-z]/);
    }
  });

  it("the registration confirmation names the waitlist place and links the calendar file", async () => {
    const props = EMAIL_TEMPLATES["class-registration"].previewProps;
    const email = await renderEmail("class-registration", props);
    expect(email.subject).toBe("已进入候补：数字政府建设与基层治理能力提升");
    expect(email.text).toContain("市委党校报告厅已满，您目前在候补第 2 位");
    expect(email.text).toContain(props.icsUrl);
    const plain = await renderEmail("class-registration", { ...props, waitlist: null });
    expect(plain.subject).toBe("报名成功：数字政府建设与基层治理能力提升");
  });

  it("leave decisions say who decided; approval offers the make-up study", async () => {
    const approved = await renderEmail("class-leave-decision", EMAIL_TEMPLATES["class-leave-decision"].previewProps);
    expect(approved.text).toContain("李建国已批准您的请假申请");
    expect(approved.text).toContain("补学");
    const refused = await renderEmail("class-leave-decision", { ...EMAIL_TEMPLATES["class-leave-decision"].previewProps, approved: false });
    expect(refused.subject).toBe("请假未批准：数字政府建设与基层治理能力提升");
  });

  it("the English night-class texts mirror the Chinese keys", () => {
    const zh = flatten((resources["zh-CN"].translation as { classes: object }).classes);
    const en = flatten((resources.en.translation as { classes: object }).classes);
    expect(en.sort()).toEqual(zh.sort());
  });
});

describe("calendar files", () => {
  it("write the session at 19:30 Asia/Shanghai, whatever the server's zone, with a stable UID", () => {
    const ics = classCalendar("夜课堂", [
      {
        code: "2026-23",
        title: "数字政府",
        lecturer: "陈立新",
        startsAt: new Date("2026-12-09T11:30:00Z"),
        endsAt: new Date("2026-12-09T13:00:00Z"),
        status: "published",
        revision: 2,
        place: "市委党校报告厅",
        url: "https://luoshi.example/classes/2026-23",
      },
    ]);
    expect(ics).toContain("BEGIN:VTIMEZONE");
    expect(ics).toContain("TZID:Asia/Shanghai");
    expect(ics).toContain("DTSTART;TZID=Asia/Shanghai:20261209T193000");
    expect(ics).toContain("DTEND;TZID=Asia/Shanghai:20261209T210000");
    expect(ics).toContain("UID:class-2026-23@luoshi");
    expect(ics).toContain("SEQUENCE:2");
    expect(ics).toContain("LOCATION:市委党校报告厅");
  });
});
