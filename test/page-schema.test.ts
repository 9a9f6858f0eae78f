import assert from 'node:assert/strict';
import type * as Misskey from 'misskey-js';
import { createSchemaValidator } from '../src/schemas.js';
import { dummyUserDetailedNotMe, dummyUserLite } from '../src/api/packing/dummies.js';
import type { DriveFile } from '../src/generated/drive-file.js';
import type { Page } from '../src/generated/page.js';
import type { PageBlock } from '../src/generated/page-block.js';
import type { UserDetailedNotMe } from '../src/generated/user-detailed-not-me.js';
import { packedPage } from './support/misskey-page.js';

// Compile-time: `npm run typecheck` fails if our Page drifts from misskey-js's, either way, or if a UserDetailedNotMe we
// generate (its pinnedPage above all) stops being one misskey-js accepts.
type Assignable<From extends To, To> = [From, To];
export type PageMatchesMisskeyJs = [
	Assignable<Page, Misskey.entities.Page>,
	Assignable<Misskey.entities.Page, Page>,
	Assignable<PageBlock, Misskey.entities.PageBlock>,
	Assignable<Misskey.entities.PageBlock, PageBlock>,
	Assignable<UserDetailedNotMe['pinnedPage'], Misskey.entities.UserDetailedNotMe['pinnedPage']>,
	Assignable<UserDetailedNotMe, Misskey.entities.UserDetailedNotMe>,
];

const owner = dummyUserLite(1);
const file: DriveFile = {
	id: '9x1file001',
	createdAt: '2025-06-01T10:00:00.000Z',
	name: 'cat.jpg',
	type: 'image/jpeg',
	md5: 'd41d8cd98f00b204e9800998ecf8427e',
	size: 123456,
	isSensitive: false,
	blurhash: null,
	properties: { width: 1280, height: 960 },
	url: 'https://misskey.example/files/0a1b2c3d-4e5f',
	thumbnailUrl: null,
	comment: null,
	folderId: null,
	folder: null,
	userId: owner.id,
	user: owner,
};

describe('the Page schema (Misskey `Page`, in `pinnedPage`)', () => {
	const validator = createSchemaValidator();
	const page = packedPage(owner, file);
	const errorsOf = (value: unknown) => validator.validate('Page', value).errors;

	it('accepts a full page as Misskey packs it, with every kind of block', () => {
		assert.equal(errorsOf(page), '');
		assert.equal(errorsOf({ ...page, isLiked: true, eyeCatchingImageId: null, eyeCatchingImage: null, summary: 'Who I am' }), '');
	});

	it('requires every field Misskey always sends; only isLiked may be left out', () => {
		const required = Object.keys(page);
		assert.equal(required.length, 18);
		for (const key of required) {
			const { [key as keyof Page]: _left, ...rest } = page;
			assert.match(errorsOf(rest), new RegExp(`required property '${key}'`), key);
		}
	});

	it('checks the blocks, recursively, and the font', () => {
		const brokenChild = structuredClone(page);
		brokenChild.content[1] = { id: 'b2', type: 'section', title: 'Cats', children: [{ id: 'b3', type: 'image' } as PageBlock] };
		assert.notEqual(errorsOf(brokenChild), '');
		assert.notEqual(errorsOf({ ...page, content: [{ id: 'x', type: 'video', url: 'https://v.example/' }] }), '');
		assert.match(errorsOf({ ...page, font: 'monospace' }), /\/font must be equal to one of the allowed values/);
		assert.match(errorsOf({ ...page, likedCount: '3' }), /\/likedCount must be number/);
	});

	it('is what UserDetailedNotMe.pinnedPage holds, or null', () => {
		const user = { ...dummyUserDetailedNotMe(1), pinnedPageId: page.id, pinnedPage: page };
		assert.equal(validator.validate('UserDetailedNotMe', user).errors, '');
		assert.equal(validator.validate('UserDetailedNotMe', { ...user, pinnedPageId: null, pinnedPage: null }).errors, '');
		const { content: _content, ...stub } = page;
		assert.match(validator.validate('UserDetailedNotMe', { ...user, pinnedPage: stub }).errors, /\/pinnedPage/);
	});
});
