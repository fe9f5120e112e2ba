const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Accounts are keyed by the trimmed, lower-cased address, whoever types it (sign-up, sign-in, an admin, the operator). */
export const normaliseEmail = (email: string): string => email.trim().toLowerCase();

/** A plausible address of at most 254 characters (RFC 5321's limit); only mail sent to it would prove more. */
export const isEmail = (email: string): boolean => email.length <= 254 && EMAIL.test(email);
