/** Whether an event body passes a filter. */
export type FilterTest = (body: unknown) => boolean;
