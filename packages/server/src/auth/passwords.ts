/**
 * bcrypt, as Parse stores passwords ($2a$/$2b$ hashes), so users exported from Parse/Back4app log in here.
 * The native binding hashes on libuv's thread pool, off the event loop.
 */
import bcrypt from 'bcrypt';

export const BCRYPT_COST = 10;

export const hashPassword = (password: string): Promise<string> => bcrypt.hash(password, BCRYPT_COST);

export async function passwordMatches(password: string, hash: unknown): Promise<boolean> {
  if (typeof hash !== 'string' || !hash.startsWith('$2')) return false;
  return bcrypt.compare(password, hash);
}
