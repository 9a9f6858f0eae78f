export { checkFilter, filterOperators, type FilterCheck } from './check-filter.js';
export { filterTestOf } from './compile-filter.js';
export type { FilterTest } from './filter-test.js';
export { filterLimits } from './filter-limits.js';
