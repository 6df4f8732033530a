import type zh from "../zh-CN/digest";

const en: typeof zh = {
  digest: {
    email: {
      subject: "{{unit}} weekly digest · week {{week}}, {{year}}",
      subjectMany: "{{unit}} and other units ({{count}} in all): weekly digest · week {{week}}, {{year}}",
      subjectCopy: "(Copy) {{subject}}",
      heading: "{{unit}} · week {{week}}, {{year}} ({{from}} – {{to}})",
      headingMany: "Weekly digest · week {{week}}, {{year}} ({{from}} – {{to}})",
      preview: "Last week's attendance, the coming night classes, frontline records to verify and the rankings",
      previewAllClear: "Nothing needs your attention this week",
      greeting: "Dear {{name}},",
      intro: "Here is what your unit needs you to know and act on, from last week ({{from}} – {{to}}) on.",
      introMany: "Here is what the {{count}} units you head need you to know and act on, from last week ({{from}} – {{to}}) on.",
      copyNote: "This is a copy of the weekly digest sent to {{head}}: the unit copies its liaisons.",
      allClear: "All clear: nothing needs your attention this week.",
      separator: ", ",
      sentenceGap: " ",
      more: " … and {{count}} more",
      moreRecords: "{{count}} more records are waiting on the platform.",
      attendance: {
        title: "Night-class attendance last week",
        counts: "{{enrolled}} expected: {{present}} present, {{late}} late, {{excused}} excused, {{absent}} absent",
        absent: "Absent: ",
        late: "Late: ",
        lateAt: "{{name}} ({{time}})",
        action: "Unit attendance",
      },
      upcoming: {
        title: "Coming night classes",
        deadline: "Registration closes {{when}}",
        notRegistered: "{{audience}} expected, {{count}} not registered: ",
        allRegistered: "{{audience}} expected, all registered",
        leavePending: "Leave waiting for your decision ({{count}}): ",
        roster: "Registrations",
        leave: "Decide leave",
      },
      frontline: {
        title: "Frontline work",
        pending: "Frontline records waiting for verification ({{count}}):",
        record: "{{name}} · {{category}} · {{place}} · {{from}} – {{to}} ({{days}} days)",
        verify: "Verify",
        quota: "Short of the monthly quota in {{month}} ({{count}}): ",
        shortfall: "{{name}} ({{days}}/{{quota}} days)",
        quotaAction: "Unit frontline work",
      },
      ranking: {
        title: "Quarterly ranking",
        published: "{{quarter}} (published): ranked {{rank}} of {{size}} in the {{group}} group.",
        unranked: "{{quarter}} (published): the unit had no scored data this quarter and was not ranked.",
        up: "Up {{count}} from the previous quarter.",
        down: "Down {{count}} from the previous quarter.",
        same: "Same place as the previous quarter.",
        draft:
          "{{quarter}} draft: provisionally {{rank}} of {{size}}. The draft is not published; the organization department's publication is what counts.",
        action: "Ranking details",
      },
      shortlists: {
        title: "Promotion shortlist nominations",
        round: "“{{round}}” (nominations close {{deadline}}), awaiting the organization department ({{count}}): ",
        action: "Nominations",
      },
      reason: "You are receiving this email because you head {{units}}. The weekly digest goes out every Monday at 08:00.",
      reasonCopy:
        "You are receiving this email because you are a liaison of {{units}}, which copies its liaisons. The weekly digest goes out every Monday at 08:00.",
    },
    errors: {
      futureWeek: "{{week}} has not come yet: a digest can be sent for this week ({{current}}) or an earlier one",
    },
    cli: {
      badWeek: "“{{value}}” is not an ISO week (e.g. 2026-W47)",
      unknownUnit: "No unit with code {{code}}",
      noHead: "Unit {{code}} has no head, or the head has no email: no digest",
      sent: "{{week}}: {{queued}} digests queued, {{existing}} already existed ({{recipients}} recipients)",
      written: "Written to {{file}}",
    },
  },
};

export default en;
