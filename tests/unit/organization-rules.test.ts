import { describe, expect, it } from "vitest";
import { nameInitials, rankAtLeast, rankBand } from "~/modules/organization/rules";
import { CadreSearchSchema, parseIdParam } from "~/modules/organization/schema";
import { buildUnitForest, flattenUnitForest, type UnitTreeRow } from "~/modules/organization/unit-tree";
import { RANKS, type Rank } from "~db/schema/enums";

describe("nameInitials", () => {
  it.each([
    ["张三", "zs"],
    ["李明华", "lmh"],
    // 曾 is zēng as a surname (not céng), 单 is shàn, 解 is xiè.
    ["曾国藩", "zgf"],
    ["曾", "z"],
    ["单雄信", "sxx"],
    ["解放", "xf"],
    // A double-character surname is read whole.
    ["欧阳修", "oyx"],
    // Only the surname position reads as a surname: 王曾 is wáng céng.
    ["王曾", "wc"],
    // Spaces and punctuation in imported names do not break the initials.
    ["李 明", "lm"],
    ["李·明", "lm"],
    ["", ""],
  ])("%s → %s", (name, initials) => {
    expect(nameInitials(name)).toBe(initials);
  });
});

describe("rankAtLeast", () => {
  const cases: [Rank, Rank, boolean][] = [
    ["staff", "staff", true],
    ["staff", "deputy_section", false],
    ["deputy_section", "deputy_section", true],
    ["section", "deputy_section", true],
    ["deputy_county", "county", false],
    ["bureau", "deputy_bureau", true],
    ["deputy_bureau", "bureau", false],
  ];
  it.each(cases)("%s ≥ %s is %s", (rank, minimum, expected) => {
    expect(rankAtLeast(rank, minimum)).toBe(expected);
  });

  it("follows the order of the rank enum", () => {
    for (const [i, rank] of RANKS.entries()) {
      for (const [j, minimum] of RANKS.entries()) expect(rankAtLeast(rank, minimum)).toBe(i >= j);
    }
  });
});

describe("rankBand", () => {
  it.each([
    ["staff", "staff"],
    ["deputy_section", "section"],
    ["section", "section"],
    ["deputy_county", "leading"],
    ["county", "leading"],
    ["deputy_bureau", "leading"],
    ["bureau", "leading"],
  ] as [Rank, string][])("%s is in the %s band", (rank, band) => {
    expect(rankBand(rank)).toBe(band);
  });
});

describe("buildUnitForest", () => {
  const row = (id: number, parentId: number | null, kind: UnitTreeRow["kind"], activeCadres: number, code = `U${id}`): UnitTreeRow => ({
    id,
    parentId,
    code,
    name: `unit ${id}`,
    kind,
    activeCadres,
    headName: null,
  });
  const rows = [
    row(1, null, "other", 2, "C"),
    row(2, 1, "department", 5, "B"),
    row(3, 1, "department", 4, "A"),
    row(4, 2, "park", 1),
    row(5, null, "town", 7, "T"),
  ];

  it("nests units under their parents, sorted by code, with subtree totals", () => {
    const roots = buildUnitForest(rows);
    expect(roots.map((r) => r.id)).toEqual([1, 5]);
    expect(roots[0]!.children.map((c) => c.id)).toEqual([3, 2]);
    expect(roots[0]!.subtreeCadres).toBe(12);
    expect(roots[0]!.children[1]!.subtreeCadres).toBe(6);
  });

  it("makes a unit whose parent is out of sight a root (a head's forest)", () => {
    const roots = buildUnitForest(rows.filter((r) => [2, 4].includes(r.id)));
    expect(roots.map((r) => r.id)).toEqual([2]);
    expect(roots[0]!.children.map((c) => c.id)).toEqual([4]);
  });

  it("filters by kind, keeping the ancestors that lead to a match and their full totals", () => {
    const roots = buildUnitForest(rows, { kind: "park" });
    expect(roots.map((r) => r.id)).toEqual([1]);
    const path = flattenUnitForest(roots).map(({ node, depth }) => [node.id, depth, node.matches]);
    expect(path).toEqual([
      [1, 0, false],
      [2, 1, false],
      [4, 2, true],
    ]);
    expect(roots[0]!.subtreeCadres).toBe(12);
  });

  it("never loops on a cycle in bad data", () => {
    expect(buildUnitForest([row(1, 2, "other", 0), row(2, 1, "other", 0)])).toEqual([]);
  });
});

describe("parseIdParam", () => {
  it.each([
    ["1", 1],
    ["2147483647", 2147483647],
    ["2147483648", null],
    ["0", null],
    ["-1", null],
    ["abc", null],
    ["1e3", null],
    ["0x10", null],
    ["01", null],
    [" 1", null],
    [undefined, null],
  ] as [string | undefined, number | null][])("%s → %s", (value, expected) => {
    expect(parseIdParam(value)).toBe(expected);
  });
});

describe("CadreSearchSchema", () => {
  it("falls back to defaults for nonsense in the URL instead of failing", () => {
    expect(CadreSearchSchema.parse({ q: " 张 ", unitId: "x", minRank: "general", status: "?", page: "-3" })).toEqual({
      q: "张",
      status: "active",
      page: 1,
    });
    expect(CadreSearchSchema.parse({ unitId: "7", minRank: "section", status: "any", page: "2" })).toEqual({
      unitId: 7,
      minRank: "section",
      status: "any",
      page: 2,
    });
  });
});
