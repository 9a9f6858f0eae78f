import { randomBytes, scrypt, timingSafeEqual, type BinaryLike } from 'node:crypto';

const KEY_BYTES = 32;
const SALT_BYTES = 16;

function deriveKey(password: BinaryLike, salt: Buffer): Promise<Buffer> {
	return new Promise((resolve, reject) => {
		scrypt(password, salt, KEY_BYTES, (error, key) => (error ? reject(error) : resolve(key)));
	});
}

/** Hashes a password with scrypt and a fresh salt: `scrypt$<salt hex>$<key hex>`. */
export async function hashPassword(password: string): Promise<string> {
	const salt = randomBytes(SALT_BYTES);
	const key = await deriveKey(password, salt);
	return `scrypt$${salt.toString('hex')}$${key.toString('hex')}`;
}

/** Whether `password` matches a hash made by hashPassword (constant-time compare). */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
	const [scheme, saltHex, keyHex] = stored.split('$');
	if (scheme !== 'scrypt' || !saltHex || !keyHex) return false;
	const expected = Buffer.from(keyHex, 'hex');
	const actual = await deriveKey(password, Buffer.from(saltHex, 'hex'));
	return expected.length === actual.length && timingSafeEqual(expected, actual);
}
