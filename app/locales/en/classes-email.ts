import type zh from "../zh-CN/classes-email";

/** The night classes' emails (registration, reminders, changes, leave): classes.email. */
const en: typeof zh = {
  greeting: "Dear {{name}},",
  when: "When",
  lecturer: "Lecturer",
  place: "Where",
  online: "Online (live stream)",
  hours: "Training hours",
  liveLink: "Live stream",
  viewSession: "View the session",
  myClasses: "My classes",
  calendarHint: "Add the session to your calendar:",
  addToCalendar: "download the calendar file (.ics)",
  registration: {
    subject: "Registered: {{title}}",
    subjectWaitlisted: "On the waitlist: {{title}}",
    preview: "You are registered for the night class “{{title}}”",
    body: "You are registered for this night class:",
    waitlist:
      "{{venue}} is full and you are number {{position}} on its waitlist. When a seat comes free you move up automatically and get an email; until then, please attend as shown above.",
    deadline: "To change where you watch or cancel, do so before {{deadline}}.",
    reason: "You are receiving this email because you registered for, or changed, a night class on Luoshi.",
  },
  promotion: {
    subject: "You have a seat: {{title}}",
    preview: "A seat came free at {{venue}} and it is yours",
    body: "A seat came free at {{venue}}, where you were on the waitlist, and it is now yours:",
    reason: "You are receiving this email because you joined a venue's waitlist for a night class on Luoshi.",
  },
  reminder: {
    subject: "Tomorrow's night class: {{title}}",
    preview: "Tomorrow: “{{title}}”",
    body: "A reminder that you are expected at this night class tomorrow:",
    checkIn: "At the venue, check in by scanning the code shown there with your phone.",
    online: "Join the live stream on time: the time you watch counts for attendance.",
    leave: "If official duties keep you away, ask for leave on the platform before the session starts.",
    reason: "You are receiving this email because you are registered for this night class.",
  },
  leave: {
    subjectApproved: "Leave approved: {{title}}",
    subjectRefused: "Leave refused: {{title}}",
    approvedBody: "{{decider}} approved your leave request.",
    refusedBody: "{{decider}} refused your leave request; please attend the session.",
    comment: "Comment: {{comment}}",
    makeUp: "After the session you can watch the replay on the platform as make-up study; it then counts towards your training hours.",
    attend: "Please attend as shown above.",
    reason: "You are receiving this email because you asked for leave from this night class on Luoshi.",
  },
  cancelled: {
    subject: "Cancelled: {{title}}",
    preview: "This night class has been cancelled: {{reason}}",
    body: "We are sorry: this night class has been cancelled.",
    reasonLine: "Reason: {{reason}}",
    footer: "You are receiving this email because you were registered for this night class.",
  },
};

export default en;
