import type { DriveFile } from '../../src/generated/drive-file.js';
import type { Page } from '../../src/generated/page.js';
import type { UserLite } from '../../src/generated/user-lite.js';

/** A page as Misskey packs it for `pinnedPage`: every kind of block, a variable, an eye-catching image and an attached file. */
export function packedPage(owner: UserLite, file: DriveFile): Page {
	return {
		id: '9x0page001',
		createdAt: '2025-06-01T10:00:00.000Z',
		updatedAt: '2025-06-02T10:00:00.000Z',
		userId: owner.id,
		user: owner,
		content: [
			{ id: 'b1', type: 'text', text: 'Hello, I am $[x2 Alice].' },
			{ id: 'b2', type: 'section', title: 'Cats', children: [{ id: 'b3', type: 'image', fileId: file.id }] },
			{ id: 'b4', type: 'note', detailed: false, note: '9x0note001' },
			{ id: 'b5', type: 'image', fileId: null },
		],
		variables: [{ id: 'v1', name: 'greeting', type: 'text', value: 'hi' }],
		title: 'About me',
		name: 'about',
		summary: null,
		hideTitleWhenPinned: false,
		alignCenter: true,
		font: 'sans-serif',
		script: '',
		eyeCatchingImageId: file.id,
		eyeCatchingImage: file,
		attachedFiles: [file],
		likedCount: 3,
	};
}
