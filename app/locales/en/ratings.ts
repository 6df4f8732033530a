import type zh from "../zh-CN/ratings";

const en: typeof zh = {
  ratings: {
    nav: "Public ratings",
    reasons: { attitude: "Attitude", efficiency: "Efficiency", buck_passing: "Passing the buck", fees: "Fees", other: "Other" },
    public: {
      brand: "Rate our service",
      pageTitle: "{{unit}} · Rate our service",
      ask: "How was the service you received?",
      satisfied: "Satisfied",
      unsatisfied: "Not satisfied",
      unsatisfiedHint: "If not satisfied, you can tell us why on the next page",
      detailsTitle: "What were you not satisfied with?",
      reasonsLegend: "Reasons (choose any)",
      comment: "What happened (optional)",
      commentHint: "A few words, up to 500 characters",
      phone: "Phone number (optional)",
      phoneHint: "Only for a follow-up call from the unit; never published; deleted 90 days after the case closes",
      submit: "Send",
      back: "Back",
      largeText: "Large text",
      normalText: "Normal text",
      language: "中文",
      languageCode: "zh-CN",
      howUsed:
        "Your rating goes straight to the city's organization department and counts towards the unit's satisfaction; every “not satisfied” is followed up within 3 working days.",
      oncePerDay: "One rating per phone, place and day is counted.",
      errors: {
        choice: "Choose “Satisfied” or “Not satisfied”",
        reason: "Choose at least one reason",
        commentTooLong: "Please keep it to 500 characters",
        phone: "Enter a mobile number, or a landline with its area code",
      },
      retired: {
        title: "This rating point is no longer in use",
        body: "This rating point of {{unit}} has been retired. To rate, scan the new code posted on site.",
      },
      unknown: { title: "Rating point not found", body: "Please check that the code or address is complete." },
      thanks: {
        title: "Thank you!",
        satisfied: "Your rating has been recorded. We will keep working to serve you well.",
        unsatisfied:
          "Your feedback has been passed to {{unit}}, which must follow it up and put things right by {{due}}; the organization department reviews the outcome.",
        call: "You left a phone number: someone will call you about it.",
        noCall: "You left no phone number: the unit will look into what you reported.",
        repeat:
          "You have already rated this place today. One rating per phone and day is counted; this one was received but not counted again.",
        limited: "Too many ratings came from the same network just now: yours is recorded for review and not counted for the moment.",
        again: "Back to the rating page",
      },
    },
  },
};

export default en;
