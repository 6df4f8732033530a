import enAccountability from "./en/accountability";
import enAdmin from "./en/admin";
import enAttendance from "./en/attendance";
import enAudit from "./en/audit";
import enAuth from "./en/auth";
import enClasses from "./en/classes";
import enCommon from "./en/common";
import enDigest from "./en/digest";
import enEmail from "./en/email";
import enFrontline from "./en/frontline";
import enImports from "./en/imports";
import enOrganization from "./en/organization";
import enRankings from "./en/rankings";
import enRatings from "./en/ratings";
import enRoster from "./en/roster";
import enSecurity from "./en/security";
import enShortlists from "./en/shortlists";
import zhAccountability from "./zh-CN/accountability";
import zhAdmin from "./zh-CN/admin";
import zhAttendance from "./zh-CN/attendance";
import zhAudit from "./zh-CN/audit";
import zhAuth from "./zh-CN/auth";
import zhClasses from "./zh-CN/classes";
import zhCommon from "./zh-CN/common";
import zhDigest from "./zh-CN/digest";
import zhEmail from "./zh-CN/email";
import zhFrontline from "./zh-CN/frontline";
import zhImports from "./zh-CN/imports";
import zhOrganization from "./zh-CN/organization";
import zhRankings from "./zh-CN/rankings";
import zhRatings from "./zh-CN/ratings";
import zhRoster from "./zh-CN/roster";
import zhSecurity from "./zh-CN/security";
import zhShortlists from "./zh-CN/shortlists";

/** One file per capability and language; the English files are typed against the Chinese ones. */
export const resources = {
  "zh-CN": {
    translation: {
      ...zhCommon,
      ...zhAuth,
      ...zhOrganization,
      ...zhRoster,
      ...zhAdmin,
      ...zhImports,
      ...zhEmail,
      ...zhClasses,
      ...zhFrontline,
      ...zhAttendance,
      ...zhRankings,
      ...zhRatings,
      ...zhShortlists,
      ...zhAudit,
      ...zhSecurity,
      ...zhDigest,
      ...zhAccountability,
    },
  },
  en: {
    translation: {
      ...enCommon,
      ...enAuth,
      ...enOrganization,
      ...enRoster,
      ...enAdmin,
      ...enImports,
      ...enEmail,
      ...enClasses,
      ...enFrontline,
      ...enAttendance,
      ...enRankings,
      ...enRatings,
      ...enShortlists,
      ...enAudit,
      ...enSecurity,
      ...enDigest,
      ...enAccountability,
    },
  },
};
