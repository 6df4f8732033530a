/**
 * Every queue and schedule of the job system, in one place. Cron expressions are read in Asia/Shanghai
 * time (pg-boss's tz option), like every other time the organization department deals in.
 */
export const JOB_TIME_ZONE = "Asia/Shanghai";

export const QUEUES = {
  emailDrain: "email.drain",
  nightlyCleanup: "maintenance.nightly",
  classReminders: "classes.reminders",
  classRoster: "classes.roster",
  attendanceAutoClose: "attendance.auto-close",
  weeklyDigest: "digest.weekly",
  ratingFollowUps: "ratings.follow-ups",
  ratingBursts: "ratings.bursts",
  ratingPhoneErasure: "ratings.erase-phones",
} as const;
export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

/**
 * "stately" keeps at most one job waiting and one running per queue across every worker process: a
 * burst of nudges collapses into one drain, and only one drain calls the provider at a time, so the
 * per-process rate limit is also the cluster's.
 */
export const QUEUE_OPTIONS: Record<QueueName, { policy: "stately"; retryLimit: number; expireInSeconds: number }> = {
  [QUEUES.emailDrain]: { policy: "stately", retryLimit: 0, expireInSeconds: 120 },
  [QUEUES.nightlyCleanup]: { policy: "stately", retryLimit: 2, expireInSeconds: 600 },
  [QUEUES.classReminders]: { policy: "stately", retryLimit: 3, expireInSeconds: 900 },
  [QUEUES.classRoster]: { policy: "stately", retryLimit: 1, expireInSeconds: 600 },
  [QUEUES.attendanceAutoClose]: { policy: "stately", retryLimit: 1, expireInSeconds: 600 },
  // A province's 10,000 digests take well under a minute; a retry resumes, skipping those already queued.
  [QUEUES.weeklyDigest]: { policy: "stately", retryLimit: 2, expireInSeconds: 1800 },
  [QUEUES.ratingFollowUps]: { policy: "stately", retryLimit: 2, expireInSeconds: 600 },
  [QUEUES.ratingBursts]: { policy: "stately", retryLimit: 1, expireInSeconds: 600 },
  [QUEUES.ratingPhoneErasure]: { policy: "stately", retryLimit: 3, expireInSeconds: 600 },
};

export interface ScheduleDefinition {
  queue: QueueName;
  cron: string;
  summary: string;
}

export const SCHEDULES: ScheduleDefinition[] = [
  {
    queue: QUEUES.emailDrain,
    cron: "* * * * *",
    summary:
      "send due email — a safety net: workers also look every EMAIL_DRAIN_INTERVAL_SECONDS and are nudged right after email is queued",
  },
  {
    queue: QUEUES.nightlyCleanup,
    cron: "30 3 * * *",
    summary:
      "03:30 clean-up: expired sessions and devices, spent sign-in counters, security log rows past the retention (never under 180 days), spent email links, old applied/discarded import batches",
  },
  {
    queue: QUEUES.classReminders,
    cron: "0 10 * * *",
    summary: "10:00 night-class reminders for tomorrow's sessions (one per cadre, session and time; a rerun sends nothing twice)",
  },
  {
    queue: QUEUES.classRoster,
    cron: "*/15 * * * *",
    summary: "every 15 min: mandatory night-class enrolments follow roster changes until each session starts",
  },
  {
    queue: QUEUES.attendanceAutoClose,
    cron: "*/10 * * * *",
    summary:
      "every 10 min: close night-class sessions some hours after they end (freezing attendance), then raise or resolve low-attendance warnings (each emailed once)",
  },
  {
    queue: QUEUES.weeklyDigest,
    cron: "0 8 * * 1",
    summary: "Monday 08:00: the weekly digest to every unit head (one per head and ISO week, however often it runs)",
  },
  {
    queue: QUEUES.ratingFollowUps,
    cron: "30 8 * * *",
    summary:
      "08:30: public-rating follow-ups due today reminded to the unit's head and liaisons; overdue ones reminded again and escalated to the organization department (once per case)",
  },
  {
    queue: QUEUES.ratingBursts,
    cron: "5 * * * *",
    summary: "hourly: flag rating points with a burst of ratings far above their usual day (today and yesterday), for review",
  },
  {
    queue: QUEUES.ratingPhoneErasure,
    cron: "40 3 * * *",
    summary: "03:40: erase the phone numbers of public-rating follow-up cases closed more than 90 days ago",
  },
];
