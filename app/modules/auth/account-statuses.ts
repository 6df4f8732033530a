export const ACCOUNT_STATUSES_LIST = ["all", "enabled", "disabled", "must_change"] as const;
