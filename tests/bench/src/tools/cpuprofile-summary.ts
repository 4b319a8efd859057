// Summarises a V8 .cpuprofile (from `node --cpu-prof`, e.g. BENCH_CPU_PROF_DIR=… on a bench):
// self time by package or file, the top functions by self time, and the inclusive time of frames
// whose name matches the given patterns (e.g. "authenticate|createScope|consume").
// Usage: node --import tsx src/tools/cpuprofile-summary.ts FILE.cpuprofile [PATTERN] [--top N]
//        [--after SECONDS]   (ignore the first seconds of the profile: start-up, warm-up)
import { readFileSync } from 'node:fs';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const args = process.argv.slice(2);
const topAt = args.indexOf('--top');
const top = topAt >= 0 ? Number(args.splice(topAt, 2)[1]) : 25;
const afterAt = args.indexOf('--after');
const afterUs = afterAt >= 0 ? Number(args.splice(afterAt, 2)[1]) * 1e6 : 0;
const [file, pattern] = args;
if (!file) {
  console.error('usage: cpuprofile-summary FILE.cpuprofile [PATTERN] [--top N]');
  process.exit(2);
}
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;

const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const self = new Map<number, number>();
let elapsed = 0;
profile.samples.forEach((id, i) => {
  elapsed += profile.timeDeltas[i] ?? 0;
  if (elapsed >= afterUs) self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
});
const total = [...self.values()].reduce((a, b) => a + b, 0);

/** Where a frame's code lives: a package under node_modules, a workspace file, node internals, V8. */
function owner(f: CallFrame): string {
  if (!f.url) return f.functionName ? `(${f.functionName})` : '(native)';
  if (f.url.startsWith('node:')) return `node:${f.url.slice(5).split('/')[0]}`;
  const pkg = /node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)/.exec(f.url);
  if (pkg) return pkg[1]!;
  const ws = /\/(kernel|tests\/bench)\/(src\/.+)$/.exec(f.url);
  return ws ? `${ws[1]}/${ws[2]}` : f.url;
}
const frameName = (f: CallFrame) => `${f.functionName || '(anonymous)'} ${owner(f)}:${f.lineNumber + 1}`;

const pct = (us: number) => `${((100 * us) / total).toFixed(1).padStart(5)}%`;
function print(title: string, m: Map<string, number>, n = top): void {
  console.log(`\n${title}`);
  for (const [k, v] of [...m.entries()].sort((a, b) => b[1] - a[1]).slice(0, n)) {
    console.log(`${pct(v)}  ${k}`);
  }
}

const byOwner = new Map<string, number>();
const byFunction = new Map<string, number>();
for (const [id, us] of self) {
  const f = byId.get(id)!.callFrame;
  byOwner.set(owner(f), (byOwner.get(owner(f)) ?? 0) + us);
  byFunction.set(frameName(f), (byFunction.get(frameName(f)) ?? 0) + us);
}
// Native and Node-core frames (socket writes, buffers, timers) charged to the nearest package or
// workspace file that called them: "who made the process do this work".
const core = (f: CallFrame) => !f.url || f.url.startsWith('node:');
const byCaller = new Map<string, number>();
for (const [id, us] of self) {
  let who = owner(byId.get(id)!.callFrame);
  for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
    const f = byId.get(cur)!.callFrame;
    if (!core(f)) {
      who = owner(f);
      break;
    }
  }
  byCaller.set(who, (byCaller.get(who) ?? 0) + us);
}
const idle = [...self].filter(([id]) => byId.get(id)!.callFrame.functionName === '(idle)');
const idleUs = idle.reduce((a, [, us]) => a + us, 0);
console.log(
  `${file}: ${(total / 1e6).toFixed(1)} s sampled${afterUs ? ` after ${afterUs / 1e6} s` : ''}, ` +
    `${((100 * (total - idleUs)) / total).toFixed(1)}% busy`,
);
print('self time by package / file', byOwner);
print('self time charged to the nearest calling package / file', byCaller);
print('self time by function', byFunction);

if (pattern) {
  // Inclusive time: a sample counts once for every distinct matching frame on its stack.
  const re = new RegExp(pattern);
  const inclusive = new Map<string, number>();
  for (const [id, us] of self) {
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const f = byId.get(cur)!.callFrame;
      const name = frameName(f);
      if (re.test(name) && !seen.has(name)) {
        seen.add(name);
        inclusive.set(name, (inclusive.get(name) ?? 0) + us);
      }
    }
  }
  print(`inclusive time of frames matching /${pattern}/`, inclusive, 100);
}
