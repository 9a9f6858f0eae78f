// Module resolution hook (runs off the main thread, so plain JavaScript): see browser-modules.ts.
const sharedScripts = new Set(['dom.js', 'api-client.js', 'dialogs.js']);
const pageScript = /\/src\/(?:admin|user-page)\/[^/]+\.js$/;

export async function resolve(specifier, context, next) {
	const name = specifier.startsWith('./') ? specifier.slice(2) : null;
	if (name !== null && sharedScripts.has(name) && context.parentURL !== undefined && pageScript.test(context.parentURL)) {
		return next(new URL(`../browser-shared/${name}`, context.parentURL).href, context);
	}
	return next(specifier, context);
}
