import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';

/**
 * Misskey's makePaginationQuery on the query's main alias: sinceId → ids above it, nearest first (ascending); untilId →
 * ids below it, nearest first (descending); both → between, descending; neither → newest first. Returns whether the
 * query ascends.
 */
export function paginateById<Row extends ObjectLiteral>(query: SelectQueryBuilder<Row>, bounds: { sinceId?: string; untilId?: string }): boolean {
	const id = `${query.alias}.id`;
	if (bounds.sinceId !== undefined) query.andWhere(`${id} > :sinceId`, { sinceId: bounds.sinceId });
	if (bounds.untilId !== undefined) query.andWhere(`${id} < :untilId`, { untilId: bounds.untilId });
	const ascending = bounds.sinceId !== undefined && bounds.untilId === undefined;
	query.orderBy(id, ascending ? 'ASC' : 'DESC');
	return ascending;
}
