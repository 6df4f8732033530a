import { createHash } from "node:crypto";
import smCrypto from "sm-crypto";
import { env } from "~/utils/env.server";

/**
 * The one substitution point for the hashes that stand as evidence: the audit and security log chains
 * and the publication hashes of rankings and shortlists. SHA-256 by default; a deployment that must use
 * the Chinese commercial algorithms sets HASH_ALGORITHM=sm3 (GB/T 32905, through sm-crypto).
 *
 * A hash carries its algorithm: "sm3:<hex>", or bare hex for SHA-256 (the form every hash had before
 * SM3 was offered), so a value made under one setting still verifies after the setting changes.
 */
export const HASH_ALGORITHMS = ["sha256", "sm3"] as const;
export type HashAlgorithm = (typeof HASH_ALGORITHMS)[number];

export function configuredHashAlgorithm(): HashAlgorithm {
  return env().HASH_ALGORITHM;
}

export function digestHex(algorithm: HashAlgorithm, data: string | Uint8Array): string {
  if (algorithm === "sm3") {
    // sm-crypto reads a string as UTF-8, or takes the bytes as an array.
    return smCrypto.sm3(typeof data === "string" ? data : Array.from(data));
  }
  return createHash("sha256").update(data).digest("hex");
}

/** The labelled form stored beside evidence: bare hex for SHA-256, "<algorithm>:<hex>" otherwise. */
export function labelDigest(algorithm: HashAlgorithm, hex: string): string {
  return algorithm === "sha256" ? hex : `${algorithm}:${hex}`;
}

export function evidenceHash(data: string | Uint8Array, algorithm: HashAlgorithm = configuredHashAlgorithm()): string {
  return labelDigest(algorithm, digestHex(algorithm, data));
}

/** Which algorithm made a stored hash. */
export function algorithmOf(label: string): HashAlgorithm {
  const prefix = label.includes(":") ? label.slice(0, label.indexOf(":")) : "sha256";
  if (!(HASH_ALGORITHMS as readonly string[]).includes(prefix)) throw new Error(`Unknown hash algorithm in "${label.slice(0, 20)}"`);
  return prefix as HashAlgorithm;
}

/** Whether data still hashes to a stored value, with the algorithm that value was made with. */
export function matchesEvidenceHash(data: string | Uint8Array, label: string): boolean {
  return evidenceHash(data, algorithmOf(label)) === label;
}
