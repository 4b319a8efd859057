// One line per stage, as `erp-plugin publish` prints them: what runs, then ok and how long.
export async function stage<T>(label: string, work: () => Promise<T>, note?: (r: T) => string): Promise<T> {
  const started = performance.now();
  process.stdout.write(`• ${label} … `);
  try {
    const r = await work();
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    process.stdout.write(`ok (${seconds} s${note ? `, ${note(r)}` : ''})\n`);
    return r;
  } catch (err) {
    process.stdout.write('failed\n');
    throw err;
  }
}
