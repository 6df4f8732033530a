/** A rectangle of cells, 1-based and inclusive, as a merged range is written ("A1:H1"). */
export interface CellRange {
  top: number;
  left: number;
  bottom: number;
  right: number;
}

function cellRef(ref: string): { row: number; col: number } | null {
  const m = /^\$?([A-Z]{1,3})\$?(\d{1,7})$/.exec(ref.trim().toUpperCase());
  if (!m) return null;
  let col = 0;
  for (const ch of m[1]!) col = col * 26 + (ch.charCodeAt(0) - 64);
  return { row: Number(m[2]), col };
}

export function parseRange(ref: string): CellRange | null {
  const [from, to = from] = ref.split(":");
  const a = from ? cellRef(from) : null;
  const b = to ? cellRef(to) : null;
  if (!a || !b) return null;
  return { top: Math.min(a.row, b.row), left: Math.min(a.col, b.col), bottom: Math.max(a.row, b.row), right: Math.max(a.col, b.col) };
}

/** Column letters of a 1-based column number (1 → A, 27 → AA). */
export function columnLetters(col: number): string {
  let s = "";
  for (let n = col; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}
