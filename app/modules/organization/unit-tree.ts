import type { UnitKind } from "~db/schema/enums";

export interface UnitTreeRow {
  id: number;
  parentId: number | null;
  code: string;
  name: string;
  kind: UnitKind;
  activeCadres: number;
  headName: string | null;
}

export interface UnitTreeNode extends UnitTreeRow {
  /** Active cadres in this unit and every unit below it. */
  subtreeCadres: number;
  /** False for an ancestor kept only so that a matching unit keeps its place in the tree. */
  matches: boolean;
  children: UnitTreeNode[];
}

/**
 * Arranges the units a caller may see into a forest: a unit whose parent is out of sight becomes a root.
 * With a kind, only units of that kind remain, together with the ancestors that lead to them.
 * Counts are taken before filtering, so a department's total does not change with the filter.
 */
export function buildUnitForest(rows: UnitTreeRow[], filter: { kind?: UnitKind } = {}): UnitTreeNode[] {
  const nodes = new Map<number, UnitTreeNode>();
  for (const row of rows) nodes.set(row.id, { ...row, subtreeCadres: 0, matches: true, children: [] });
  const roots: UnitTreeNode[] = [];
  for (const node of nodes.values()) {
    const parent = node.parentId == null ? undefined : nodes.get(node.parentId);
    (parent ? parent.children : roots).push(node);
  }
  const byCode = (a: UnitTreeNode, b: UnitTreeNode) => a.code.localeCompare(b.code) || a.id - b.id;
  // Units in a cycle have no root and are never reached; the database refuses cycles, this only keeps
  // a bad row from hanging the page.
  const total = (node: UnitTreeNode): number => {
    node.children.sort(byCode);
    node.subtreeCadres = node.activeCadres + node.children.reduce((sum, child) => sum + total(child), 0);
    return node.subtreeCadres;
  };
  roots.sort(byCode);
  for (const root of roots) total(root);
  if (!filter.kind) return roots;

  const kind = filter.kind;
  const prune = (node: UnitTreeNode): UnitTreeNode | null => {
    const children = node.children.map(prune).filter((c): c is UnitTreeNode => c !== null);
    const matches = node.kind === kind;
    return matches || children.length ? { ...node, matches, children } : null;
  };
  return roots.map(prune).filter((n): n is UnitTreeNode => n !== null);
}

/** The forest in reading order with each unit's depth, for indented select options. */
export function flattenUnitForest(roots: UnitTreeNode[]): { node: UnitTreeNode; depth: number }[] {
  const out: { node: UnitTreeNode; depth: number }[] = [];
  const walk = (node: UnitTreeNode, depth: number) => {
    out.push({ node, depth });
    for (const child of node.children) walk(child, depth + 1);
  };
  for (const root of roots) walk(root, 0);
  return out;
}

/** "　　市第一中学 (SF031)": full-width spaces indent inside a <select>, where markup cannot. */
export function unitOptionLabel(unit: { name: string; code: string }, depth: number): string {
  return `${"\u3000".repeat(depth)}${unit.name} (${unit.code})`;
}
