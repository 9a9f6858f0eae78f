// Fails when source files or source folders import each other in a loop.
// Nodes are files, and folders: a folder is the directory of a file (`src/delivery/queue`); a file directly under
// `src/` is a node of its own, since `src/index.ts` imports everything by design. Type-only imports count too: a
// folder that needs another's types depends on it.
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

const roots = process.argv.slice(2).length > 0 ? process.argv.slice(2) : ['src'];

function sourceFiles(directory: string): string[] {
	return fs.readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
		const full = path.join(directory, entry.name);
		if (entry.isDirectory()) return sourceFiles(full);
		return /\.(ts|js)$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [full] : [];
	});
}

function importsOf(file: string): string[] {
	const info = ts.preProcessFile(fs.readFileSync(file, 'utf8'), true, true);
	return info.importedFiles
		.map((imported) => imported.fileName)
		.filter((name) => name.startsWith('.'))
		.map((name) => path.normalize(path.join(path.dirname(file), name)).replace(/\.js$/, '.ts'))
		.filter((target) => fs.existsSync(target));
}

// A generated tree is one unit: its index re-exports its subfolders, which import its shared types.
const wholeTrees = ['src/generated'];

function folderOf(file: string): string {
	const tree = wholeTrees.find((root) => file.startsWith(`${root}/`));
	if (tree) return tree;
	const directory = path.dirname(file);
	return roots.includes(directory) ? file : directory;
}

/** Strongly connected components with more than one node (or a self-loop), by Tarjan's algorithm. */
function cycles(graph: Map<string, Set<string>>): string[][] {
	let index = 0;
	const indices = new Map<string, number>();
	const lowLinks = new Map<string, number>();
	const stack: string[] = [];
	const onStack = new Set<string>();
	const found: string[][] = [];
	const visit = (node: string): void => {
		indices.set(node, index);
		lowLinks.set(node, index);
		index += 1;
		stack.push(node);
		onStack.add(node);
		for (const next of graph.get(node) ?? []) {
			if (!indices.has(next)) {
				visit(next);
				lowLinks.set(node, Math.min(lowLinks.get(node)!, lowLinks.get(next)!));
			} else if (onStack.has(next)) {
				lowLinks.set(node, Math.min(lowLinks.get(node)!, indices.get(next)!));
			}
		}
		if (lowLinks.get(node) === indices.get(node)) {
			const component: string[] = [];
			let member: string;
			do {
				member = stack.pop()!;
				onStack.delete(member);
				component.push(member);
			} while (member !== node);
			if (component.length > 1 || graph.get(node)?.has(node)) found.push(component.sort());
		}
	};
	for (const node of graph.keys()) if (!indices.has(node)) visit(node);
	return found;
}

const fileGraph = new Map<string, Set<string>>();
const folderGraph = new Map<string, Set<string>>();
const folderEdges = new Map<string, string[]>();
for (const file of roots.flatMap(sourceFiles)) {
	fileGraph.set(file, new Set());
	for (const target of importsOf(file)) {
		fileGraph.get(file)!.add(target);
		const [from, to] = [folderOf(file), folderOf(target)];
		if (from === to) continue;
		if (!folderGraph.has(from)) folderGraph.set(from, new Set());
		folderGraph.get(from)!.add(to);
		const key = `${from} -> ${to}`;
		folderEdges.set(key, [...(folderEdges.get(key) ?? []), `${file} imports ${target}`]);
	}
}

const fileCycles = cycles(fileGraph);
const folderCycles = cycles(folderGraph);
for (const cycle of fileCycles) console.error(`file cycle: ${cycle.join(', ')}`);
for (const cycle of folderCycles) {
	console.error(`folder cycle: ${cycle.join(', ')}`);
	for (const from of cycle) {
		for (const to of cycle) for (const edge of folderEdges.get(`${from} -> ${to}`) ?? []) console.error(`  ${edge}`);
	}
}
if (fileCycles.length + folderCycles.length > 0) process.exit(1);
console.log(`no import cycles among ${fileGraph.size} files in ${new Set([...fileGraph.keys()].map(folderOf)).size} folders`);
