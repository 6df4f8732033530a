/**
 * A command's options: `--name value` or `--name=value`, and the given `flags` bare (`--publish`, set
 * to true). Null when anything else is there — a stray word, or an option without its value — so the
 * command prints its usage before touching anything.
 */
export function parseOptions(args: readonly string[], flags: readonly string[] = []): Map<string, string | true> | null {
  const out = new Map<string, string | true>();
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (!a.startsWith("--")) return null;
    const [name, inline] = a.slice(2).split("=", 2) as [string, string | undefined];
    if (inline !== undefined) out.set(name, inline);
    else if (flags.includes(name)) out.set(name, true);
    else if (i + 1 < args.length && !args[i + 1]!.startsWith("--")) out.set(name, args[++i]!);
    else return null;
  }
  return out;
}

/** An option's text; undefined when absent or given as a bare flag. */
export function optionText(options: Map<string, string | true>, name: string): string | undefined {
  const value = options.get(name);
  return typeof value === "string" ? value : undefined;
}
