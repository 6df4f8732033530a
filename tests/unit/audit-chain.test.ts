import { describe, expect, it } from "vitest";
import { type ChainRow, firstBreak, GENESIS, linkText } from "~/modules/audit/chain";
import { algorithmOf, digestHex, evidenceHash, matchesEvidenceHash } from "~/modules/security/digest.server";
import { hashForPrint } from "~/modules/security/hash-label";

const hashOf = (label: string, text: string) => evidenceHash(text, algorithmOf(label));

function chain(contents: string[], algorithm: "sha256" | "sm3" = "sha256"): ChainRow[] {
  let prev = GENESIS;
  return contents.map((content, i) => {
    const seq = i + 1;
    const hash = evidenceHash(linkText("audit_log", seq, prev, content), algorithm);
    const row = { id: 100 + seq, seq, prevHash: prev, hash, content };
    prev = hash;
    return row;
  });
}

describe("the evidence hash substitution point", () => {
  it("computes SHA-256 and SM3 (GB/T 32905 test vector) and says which in the stored value", () => {
    expect(digestHex("sha256", "abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    expect(digestHex("sm3", "abc")).toBe("66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0");
    expect(evidenceHash("abc", "sha256")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    expect(evidenceHash("abc", "sm3")).toBe("sm3:66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0");
    expect(matchesEvidenceHash("abc", evidenceHash("abc", "sm3"))).toBe(true);
    expect(matchesEvidenceHash("abd", evidenceHash("abc", "sm3"))).toBe(false);
    expect(hashForPrint("sm3:66c7")).toBe("SM3 66c7");
    expect(hashForPrint("ba78")).toBe("SHA-256 ba78");
  });
});

describe("a hash chain", () => {
  const rows = chain(['{"a":1}', '{"a":2}', '{"a":3}', '{"a":4}']);
  const start = { seq: 0, hash: GENESIS };

  it("verifies as written, with either algorithm", () => {
    expect(firstBreak("audit_log", rows, start, hashOf).broken).toBeNull();
    expect(firstBreak("audit_log", chain(["x", "y"], "sm3"), start, hashOf).broken).toBeNull();
  });

  it("finds an edited row", () => {
    const edited = rows.map((r) => (r.seq === 3 ? { ...r, content: '{"a":33}' } : r));
    expect(firstBreak("audit_log", edited, start, hashOf).broken).toEqual({ id: 103, seq: 3, problem: "content_changed" });
  });

  it("finds a row whose hash was recomputed after editing: the next link no longer matches", () => {
    const edited = rows.map((r) =>
      r.seq === 2 ? { ...r, content: "{}", hash: evidenceHash(linkText("audit_log", 2, r.prevHash, "{}")) } : r,
    );
    expect(firstBreak("audit_log", edited, start, hashOf).broken).toEqual({ id: 103, seq: 3, problem: "link_broken" });
  });

  it("finds a deleted row, and rows deleted from the start", () => {
    expect(
      firstBreak(
        "audit_log",
        rows.filter((r) => r.seq !== 2),
        start,
        hashOf,
      ).broken,
    ).toEqual({ id: 103, seq: 3, problem: "rows_missing" });
    expect(firstBreak("audit_log", rows.slice(1), start, hashOf).broken).toEqual({ id: 102, seq: 2, problem: "rows_missing" });
    // After a recorded prune, the chain starts at its anchor.
    expect(firstBreak("audit_log", rows.slice(1), { seq: 1, hash: rows[0]!.hash }, hashOf).broken).toBeNull();
  });

  it("binds each row to its log: a row moved to another log does not verify", () => {
    expect(firstBreak("security_events", rows, start, hashOf).broken).toEqual({ id: 101, seq: 1, problem: "content_changed" });
  });
});
