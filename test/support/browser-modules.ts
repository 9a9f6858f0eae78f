import { register } from 'node:module';

// The pages' scripts import the shared ones as `./dom.js`: the plugins serve both from one flat folder per page. On
// disk the shared scripts live in src/browser-shared/; this hook resolves them there, so a test can import a page's
// script in Node as the browser does.
register(new URL('./browser-modules-hooks.js', import.meta.url));
