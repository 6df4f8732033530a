/**
 * Text that goes into files and headers other programs parse (iCalendar lines, email subjects): control
 * characters (C0, DEL, C1) are taken out, because a CR or LF in a title would start a line of its own
 * there (an injected ATTENDEE or URL in a calendar file), and the rest have no business in a title.
 */
const CONTROL = /\p{Cc}/gu;
const LINE_BREAKS = /\r\n|[\r\n\u2028\u2029]/g;

/** One line: line breaks and tabs become spaces, other control characters go. */
export function singleLine(text: string): string {
  return text.replace(LINE_BREAKS, " ").replace(/\t/g, " ").replace(CONTROL, "");
}

/** Several lines: line breaks become "\n", every other control character goes. */
export function withoutControlCharacters(text: string): string {
  return text.replace(LINE_BREAKS, "\n").replace(CONTROL, (c) => (c === "\n" ? c : c === "\t" ? " " : ""));
}
