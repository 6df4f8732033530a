import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { storedSecret } from "~/modules/system/stored-secret.server";
import { env } from "~/utils/env.server";
import type { DbOrTx } from "~db/client";

const GENERATED_KEY_SETTING = "security.data_encryption_key";

/**
 * Secrets the server must read back (second-factor keys) are stored sealed with AES-256-GCM: a random
 * 96-bit nonce, the ciphertext and its tag, base64url, bound by the associated data to what they
 * belong to (e.g. "totp:user:42"), so a sealed value copied onto another account does not open.
 *
 * The key is DATA_ENCRYPTION_KEY; without it one is generated and kept in the database (the demo's
 * case; start-up warns a real deployment). SM4-GCM would replace AES here (docs/compliance.md).
 */
async function dataKey(db: DbOrTx): Promise<Buffer> {
  const configured = env().DATA_ENCRYPTION_KEY;
  if (configured) return Buffer.from(configured, "hex");
  // Read each time (not once per process): rare (enrolment, second-factor checks), and tests switch databases.
  const stored = await storedSecret(db, GENERATED_KEY_SETTING);
  if (!/^[0-9a-f]{64}$/.test(stored)) throw new Error("security: the stored data key is damaged");
  return Buffer.from(stored, "hex");
}

export async function sealSecret(db: DbOrTx, plain: Uint8Array, context: string): Promise<string> {
  const nonce = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", await dataKey(db), nonce);
  cipher.setAAD(Buffer.from(context));
  const body = Buffer.concat([cipher.update(plain), cipher.final()]);
  return `v1.${Buffer.concat([nonce, body, cipher.getAuthTag()]).toString("base64url")}`;
}

/** The plain secret, or null when the value was tampered with, moved, or sealed under another key. */
export async function openSecret(db: DbOrTx, sealed: string, context: string): Promise<Uint8Array | null> {
  if (!sealed.startsWith("v1.")) return null;
  const raw = Buffer.from(sealed.slice(3), "base64url");
  if (raw.length < 12 + 16) return null;
  try {
    const decipher = createDecipheriv("aes-256-gcm", await dataKey(db), raw.subarray(0, 12));
    decipher.setAAD(Buffer.from(context));
    decipher.setAuthTag(raw.subarray(raw.length - 16));
    return new Uint8Array(Buffer.concat([decipher.update(raw.subarray(12, raw.length - 16)), decipher.final()]));
  } catch {
    return null;
  }
}

/** Whether the deployment keeps its data key apart from the database (start-up warns when not). */
export function dataKeyConfigured(): boolean {
  return Boolean(env().DATA_ENCRYPTION_KEY);
}
