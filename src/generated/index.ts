// Generated from schemas/*.json by npm run generate; do not edit.
export type * from './drive-file.js';
export type * from './drive-folder.js';
export type * from './events/follow.js';
export type * from './events/followed.js';
export type * from './events/mention.js';
export type * from './events/note.js';
export type * from './events/reaction.js';
export type * from './events/renote.js';
export type * from './events/reply.js';
export type * from './events/unfollow.js';
export type * from './note.js';
export type * from './page.js';
export type * from './role-lite.js';
export type * from './user-detailed-not-me.js';
export type * from './user-lite.js';
export type * from './user-webhook.js';
export type * from './webhook-envelope.js';
