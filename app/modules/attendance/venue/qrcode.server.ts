import QRCode from "qrcode";

/**
 * The check-in code as SVG, rendered on the server (no client library). A code changes every window,
 * and every display of a venue asks for the same one, so the last few are kept.
 */
const cache = new Map<string, Promise<string>>();
const CACHE_SIZE = 256;

export function qrSvg(text: string): Promise<string> {
  let svg = cache.get(text);
  if (!svg) {
    // Medium error correction: the display is a screen or a projector, seen at an angle and from afar.
    svg = QRCode.toString(text, { type: "svg", errorCorrectionLevel: "M", margin: 2, color: { dark: "#000000", light: "#ffffff" } });
    cache.set(text, svg);
    if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value!);
  }
  return svg;
}
