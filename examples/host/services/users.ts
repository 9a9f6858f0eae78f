import { randomInt } from 'node:crypto';
import { In, IsNull, type DataSource, type Repository } from 'typeorm';
import { UserEntity } from '../entities/index.js';
import type { EventRelay } from '../event-relay.js';
import { generateHostId } from '../id.js';
import { hashPassword, verifyPassword } from '../password.js';
import { refused, succeeded, type Outcome } from '../outcome.js';

const TOKEN_ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
// Misskey issues 16 random alphanumerics as a native token (secureRndstr(16)).
const TOKEN_LENGTH = 16;

function newToken(): string {
	let token = '';
	for (let i = 0; i < TOKEN_LENGTH; i++) token += TOKEN_ALPHABET[randomInt(TOKEN_ALPHABET.length)];
	return token;
}

/** Accounts: sign-up, sign-in and the lookups the API and the module's adapter need. */
export class UserService {
	private readonly users: Repository<UserEntity>;

	constructor(private readonly dataSource: DataSource, private readonly relay: EventRelay) {
		this.users = dataSource.getRepository(UserEntity);
	}

	/**
	 * Creates a local account with a fresh native token; the very first account becomes the administrator.
	 * Raises `userCreated` in the account's transaction (Misskey `SignupService.signup`).
	 */
	async signup(username: string, password: string): Promise<Outcome<UserEntity, 'usernameTaken'>> {
		const passwordHash = await hashPassword(password);
		// One transaction with a table lock, so two first sign-ups cannot both become administrator.
		const created = await this.dataSource.transaction(async (manager): Promise<Outcome<UserEntity, 'usernameTaken'>> => {
			await manager.query('LOCK TABLE "user" IN SHARE ROW EXCLUSIVE MODE');
			const repository = manager.getRepository(UserEntity);
			if (await repository.existsBy({ usernameLower: username.toLowerCase() })) return refused('usernameTaken');
			const isFirst = (await repository.count()) === 0;
			const user = repository.create({
				id: generateHostId(),
				createdAt: new Date(),
				updatedAt: null,
				username,
				usernameLower: username.toLowerCase(),
				host: null,
				name: null,
				passwordHash,
				token: newToken(),
				isAdmin: isFirst,
				isModerator: false,
			});
			await repository.insert(user);
			// The account and its `userCreated` commit together.
			await this.relay.inTransaction(manager, (events, options) => events.userCreated({ id: user.id }, options));
			return succeeded(user);
		});
		return created;
	}

	/** Checks a local user's password (Misskey's sign-in without 2FA). */
	async signin(username: string, password: string): Promise<Outcome<UserEntity, 'invalidCredentials'>> {
		const user = await this.findLocalByUsername(username);
		if (!user || !(await verifyPassword(password, user.passwordHash))) return refused('invalidCredentials');
		return succeeded(user);
	}

	findByToken(token: string): Promise<UserEntity | null> {
		return this.users.findOneBy({ token });
	}

	/** `i/update`'s `isLocked`: whether follows of `user` become requests from now on. */
	async setLocked(user: UserEntity, isLocked: boolean): Promise<UserEntity> {
		await this.dataSource.getRepository(UserEntity).update({ id: user.id }, { isLocked, updatedAt: new Date() });
		return (await this.findById(user.id)) ?? user;
	}

	findById(id: string): Promise<UserEntity | null> {
		return this.users.findOneBy({ id });
	}

	findLocalByUsername(username: string): Promise<UserEntity | null> {
		return this.users.findOneBy({ usernameLower: username.toLowerCase(), host: IsNull() });
	}

	/** Local users with these usernames (case-insensitive); unknown names are skipped. */
	async findLocalByUsernames(usernames: readonly string[]): Promise<UserEntity[]> {
		if (usernames.length === 0) return [];
		const users = await this.users.findBy({ usernameLower: In(usernames.map((name) => name.toLowerCase())) });
		return users.filter((user) => user.host === null);
	}
}
