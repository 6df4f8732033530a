/** How a stored evidence hash reads on paper: its algorithm by name, then the hex ("SM3 66c7…"). */
export function hashForPrint(label: string): string {
  const at = label.indexOf(":");
  if (at < 0) return `SHA-256 ${label}`;
  return `${label.slice(0, at).toUpperCase()} ${label.slice(at + 1)}`;
}
