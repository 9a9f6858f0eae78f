import assert from 'node:assert/strict';
import type { UserRef } from '../../src/host.js';
import {
	bodyKey,
	recipientsOfFollowRequestAccepted,
	recipientsOfFollowRequestCreated,
	recipientsOfNoteDeleted,
	recipientsOfNoteEdited,
	type Recipient,
} from '../../src/events/rules.js';

const alice: UserRef = { id: 'alice', host: null };
const bob: UserRef = { id: 'bob', host: null };
const remy: UserRef = { id: 'remy', host: 'remote.example' };
const NOTE_ID = 'n1';
const DELETED_AT = '2025-09-08T09:30:00.000Z';

describe('event rules of our own events (Misskey raises none of them)', () => {
	describe('note edited', () => {
		it('goes to the author, the note after the edit with no viewer', () => {
			assert.deepEqual(recipientsOfNoteEdited({ note: { id: NOTE_ID, userId: 'alice', visibility: 'public' } }), [
				{ ownerId: 'alice', type: 'noteEdited', body: { kind: 'note', noteId: NOTE_ID, viewerId: null } },
			]);
		});

		it('a silent edit fires nothing', () => {
			assert.deepEqual(recipientsOfNoteEdited({ note: { id: NOTE_ID, userId: 'alice' }, silent: true }), []);
		});
	});

	describe('note deleted', () => {
		const deletedBody = (author: UserRef): Recipient['body'] => ({ kind: 'deletedNote', noteId: NOTE_ID, userId: author.id, deletedAt: DELETED_AT });

		it('goes to the local author, whoever deleted it, with the time as ISO 8601 from a string or a Date', () => {
			const expected: Recipient[] = [{ ownerId: 'alice', type: 'noteDeleted', body: deletedBody(alice) }];
			assert.deepEqual(recipientsOfNoteDeleted({ note: { id: NOTE_ID, user: alice }, deletedAt: DELETED_AT }), expected);
			assert.deepEqual(recipientsOfNoteDeleted({ note: { id: NOTE_ID, user: alice }, deletedAt: new Date(DELETED_AT) }), expected);
		});

		it('a remote author has no webhooks here: nothing', () => {
			assert.deepEqual(recipientsOfNoteDeleted({ note: { id: NOTE_ID, user: remy }, deletedAt: DELETED_AT }), []);
		});

		it('a quiet deletion (silent) fires nothing', () => {
			assert.deepEqual(recipientsOfNoteDeleted({ note: { id: NOTE_ID, user: alice }, deletedAt: DELETED_AT, silent: true }), []);
		});

		it('a deletedAt that is no date is refused as a malformed event', () => {
			assert.throws(() => recipientsOfNoteDeleted({ note: { id: NOTE_ID, user: alice }, deletedAt: 'yesterday' }), /deletedAt is not a date/);
		});

		it('its body is keyed by the note alone', () => {
			assert.equal(bodyKey(deletedBody(alice)), `deletedNote:${NOTE_ID}`);
		});
	});

	describe('follow request created', () => {
		it('goes to the local followee, the requester as UserLite (as followed)', () => {
			assert.deepEqual(recipientsOfFollowRequestCreated({ follower: bob, followee: alice }), [
				{ ownerId: 'alice', type: 'followRequestReceived', body: { kind: 'userLite', userId: 'bob' } },
			]);
		});

		it('a remote requester still reaches the local followee', () => {
			assert.deepEqual(recipientsOfFollowRequestCreated({ follower: remy, followee: alice }), [
				{ ownerId: 'alice', type: 'followRequestReceived', body: { kind: 'userLite', userId: 'remy' } },
			]);
		});

		it('a request to a remote account fires nothing here', () => {
			assert.deepEqual(recipientsOfFollowRequestCreated({ follower: alice, followee: remy }), []);
		});
	});

	describe('follow request accepted', () => {
		it('goes to the local requester, the followee from the requester\'s view (as follow)', () => {
			assert.deepEqual(recipientsOfFollowRequestAccepted({ follower: bob, followee: alice }), [
				{ ownerId: 'bob', type: 'followRequestAccepted', body: { kind: 'userDetailed', userId: 'alice', viewerId: 'bob' } },
			]);
		});

		it('accepting a remote requester fires nothing here (the followee did it)', () => {
			assert.deepEqual(recipientsOfFollowRequestAccepted({ follower: remy, followee: alice }), []);
		});

		it('a remote followee accepting a local requester reaches the requester', () => {
			assert.deepEqual(recipientsOfFollowRequestAccepted({ follower: alice, followee: remy }), [
				{ ownerId: 'alice', type: 'followRequestAccepted', body: { kind: 'userDetailed', userId: 'remy', viewerId: 'alice' } },
			]);
		});
	});
});
