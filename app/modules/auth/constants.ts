/** Passwords are hashed with argon2id, which takes any length; this only bounds the work one form asks for. */
export const MAX_PASSWORD_LENGTH = 200;
