/**
 * Text of a CSV file. Excel in China saves "CSV" as GB18030 (GBK) unless told otherwise, and as UTF-8
 * with a BOM when told "CSV UTF-8"; files from other tools are UTF-8 without one. A strict UTF-8 decode
 * fails on GBK bytes almost always, so that failure is what picks GB18030.
 */
export function decodeText(bytes: Uint8Array): { text: string; encoding: "utf-8" | "gb18030" } {
  try {
    const text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
    return { text: stripBom(text), encoding: "utf-8" };
  } catch {
    return { text: stripBom(new TextDecoder("gb18030").decode(bytes)), encoding: "gb18030" };
  }
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
