declare module "sm-crypto" {
  /** SM3 (GB/T 32905-2016) of a UTF-8 string or of bytes; lower-case hex. */
  export function sm3(input: string | number[], options?: { key?: string; mode?: "hmac" }): string;
  const smCrypto: { sm3: typeof sm3 };
  export default smCrypto;
}
