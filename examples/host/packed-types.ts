import type { HostAdapter } from '../../src/index.js';

// The packed shapes come from the module's public HostAdapter contract, so the host packs exactly what it expects.

/** A note packed as Misskey's `Note`. */
export type PackedNote = Awaited<ReturnType<HostAdapter['packNote']>>;
/** A user packed as Misskey's `UserLite`. */
export type PackedUserLite = Awaited<ReturnType<HostAdapter['packUserLite']>>;
/** A user packed as Misskey's `UserDetailedNotMe`. */
export type PackedUserDetailed = Awaited<ReturnType<HostAdapter['packUserDetailed']>>;
/** The caller's own account: UserDetailedNotMe plus the MeDetailed fields this host has. */
export type PackedMe = PackedUserDetailed & { isAdmin: boolean; isModerator: boolean };
