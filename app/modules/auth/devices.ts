/**
 * A browser's own description (User-Agent) as a person recognises it: "Chrome on Windows", "WeChat on
 * iPhone". Pure, for the list of one's sign-ins; an unknown string is shown as it is, shortened.
 */
const BROWSERS: [RegExp, string][] = [
  [/MicroMessenger/i, "WeChat"],
  [/DingTalk/i, "DingTalk"],
  [/Edg\//, "Edge"],
  [/OPR\//, "Opera"],
  [/Firefox\//, "Firefox"],
  [/HeadlessChrome|Chrome\//, "Chrome"],
  [/Version\/[\d.]+.*Safari\//, "Safari"],
];
const SYSTEMS: [RegExp, string][] = [
  [/iPhone/, "iPhone"],
  [/iPad/, "iPad"],
  [/Android/, "Android"],
  [/Windows/, "Windows"],
  [/Mac OS X|Macintosh/, "macOS"],
  [/CrOS/, "ChromeOS"],
  [/Linux/, "Linux"],
];

export function describeDevice(userAgent: string, t: (key: string, params?: Record<string, string>) => string): string {
  if (!userAgent) return t("account.sessions.unknownDevice");
  const browser = BROWSERS.find(([re]) => re.test(userAgent))?.[1];
  const system = SYSTEMS.find(([re]) => re.test(userAgent))?.[1];
  if (browser && system) return t("account.sessions.browserOn", { browser, system });
  return browser ?? system ?? userAgent.slice(0, 60);
}
