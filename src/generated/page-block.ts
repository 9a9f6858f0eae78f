// Generated from schemas/page-block.json by npm run generate; do not edit.
/**
 * One block of a page's content (Misskey `PageBlock`): text, a section holding more blocks, an image, or a note.
 */
export type PageBlock =
	| {
			id: string;
			type: 'text';
			text: string;
	  }
	| {
			id: string;
			type: 'section';
			title: string;
			children: PageBlock[];
	  }
	| {
			id: string;
			type: 'image';
			fileId: string | null;
	  }
	| {
			id: string;
			type: 'note';
			detailed: boolean;
			/**
			 * The id of the note shown.
			 */
			note: string | null;
	  };
