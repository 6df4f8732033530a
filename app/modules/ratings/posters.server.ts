import QRCode from "qrcode";
import type { Scope } from "~/modules/auth/roles";
import type { DbOrTx } from "~db/client";
import { listPoints } from "./points.server";

/**
 * Posters for rating points: the unit, the point, the QR code of its public address and a line on how
 * ratings are used, as a print page (A4 poster, or A5 table stand), for one point, one unit or every
 * point in scope at once (the browser prints the whole page to paper or to one PDF).
 */

export const POSTER_SIZES = ["a4", "a5"] as const;
export type PosterSize = (typeof POSTER_SIZES)[number];

export interface Poster {
  pointId: number;
  code: string;
  url: string;
  unitName: string;
  pointName: string;
  /** The QR code as an SVG document (dark modules as one path). */
  qr: string;
}

/** High error correction: a poster is printed, laminated, scratched and photographed at an angle. */
function qrSvg(text: string): Promise<string> {
  return QRCode.toString(text, { type: "svg", errorCorrectionLevel: "H", margin: 1, color: { dark: "#000000", light: "#ffffff" } });
}

export async function postersFor(
  db: DbOrTx,
  scope: Scope,
  origin: string,
  filter: { unitId?: number; pointId?: number },
): Promise<Poster[]> {
  const points = (await listPoints(db, scope, { unitId: filter.unitId })).filter((p) => !filter.pointId || p.id === filter.pointId);
  return Promise.all(
    points.map(async (p) => {
      const url = `${origin}/r/${encodeURIComponent(p.code)}`;
      return { pointId: p.id, code: p.code, url, unitName: p.unitName, pointName: p.name, qr: await qrSvg(url) };
    }),
  );
}
