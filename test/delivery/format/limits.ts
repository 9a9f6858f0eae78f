import type { RESTPostAPIWebhookWithTokenJSONBody } from 'discord-api-types/v10';
import type { KnownBlock } from '@slack/types';
import { DISCORD_LIMITS, embedLength } from '../../../src/delivery/format/discord.js';
import { SLACK_LIMITS, type SlackWebhookPayload } from '../../../src/delivery/format/slack.js';

/** Every way a Discord body breaks Discord's documented limits; [] when it keeps them all. */
export function discordViolations(body: RESTPostAPIWebhookWithTokenJSONBody): string[] {
	const problems: string[] = [];
	const over = (what: string, value: string | undefined, limit: number) => {
		if (value !== undefined && value.length > limit) problems.push(`${what}: ${value.length} > ${limit}`);
	};
	const embeds = body.embeds ?? [];
	if (body.content === undefined && embeds.length === 0) problems.push('neither content nor embeds');
	over('content', body.content, DISCORD_LIMITS.content);
	if (embeds.length > DISCORD_LIMITS.embeds) problems.push(`${embeds.length} embeds`);
	let total = 0;
	for (const embed of embeds) {
		over('title', embed.title, DISCORD_LIMITS.title);
		over('description', embed.description, DISCORD_LIMITS.description);
		over('footer', embed.footer?.text, DISCORD_LIMITS.footer);
		over('author name', embed.author?.name, DISCORD_LIMITS.authorName);
		if ((embed.fields?.length ?? 0) > DISCORD_LIMITS.fields) problems.push(`${embed.fields!.length} fields`);
		for (const field of embed.fields ?? []) {
			over('field name', field.name, DISCORD_LIMITS.fieldName);
			over('field value', field.value, DISCORD_LIMITS.fieldValue);
			if (field.name === '' || field.value === '') problems.push('an empty field name or value');
		}
		if (embed.description === '') problems.push('an empty description');
		total += embedLength(embed);
	}
	if (total > DISCORD_LIMITS.embedsTotal) problems.push(`embeds total ${total} > ${DISCORD_LIMITS.embedsTotal}`);
	if (body.allowed_mentions?.parse?.length !== 0) problems.push('allowed_mentions.parse is not []');
	return problems;
}

/** Every way a Slack body breaks Slack's documented limits; [] when it keeps them all. */
export function slackViolations(body: SlackWebhookPayload): string[] {
	const problems: string[] = [];
	const over = (what: string, value: string, limit: number) => {
		if (value.length > limit) problems.push(`${what}: ${value.length} > ${limit}`);
		if (value.length === 0) problems.push(`${what}: empty`);
	};
	over('text', body.text, SLACK_LIMITS.text);
	if (body.blocks.length > SLACK_LIMITS.blocks) problems.push(`${body.blocks.length} blocks`);
	for (const block of body.blocks as KnownBlock[]) {
		if (block.type === 'header') over('header', block.text.text, SLACK_LIMITS.header);
		if (block.type === 'section') {
			if (block.text) over('section text', block.text.text, SLACK_LIMITS.sectionText);
			if ((block.fields?.length ?? 0) > SLACK_LIMITS.sectionFields) problems.push('too many section fields');
			for (const field of block.fields ?? []) over('section field', field.text, SLACK_LIMITS.sectionField);
			if (!block.text && !block.fields?.length) problems.push('a section with neither text nor fields');
		}
		if (block.type === 'context') {
			if (block.elements.length > SLACK_LIMITS.contextElements) problems.push('too many context elements');
			for (const element of block.elements) if ('text' in element && typeof element.text === 'string') over('context text', element.text, SLACK_LIMITS.contextText);
		}
	}
	return problems;
}
