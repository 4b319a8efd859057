// One progress line per stage of a command: "• pack … ok (812 ms)", so a partner sees where a
// build or a publish is and which stage failed.
export function step(label: string): (ok?: boolean, note?: string) => void {
  const started = Date.now();
  process.stdout.write(`• ${label} … `);
  return (ok = true, note) =>
    console.log(`${ok ? 'ok' : 'FAILED'} (${Date.now() - started} ms)${note ? ` ${note}` : ''}`);
}

/** Runs one stage: its line ends with ok, or with FAILED before the error goes on. */
export async function stage<T>(
  label: string,
  work: () => Promise<T> | T,
  note?: (value: T) => string,
): Promise<T> {
  const done = step(label);
  try {
    const value = await work();
    done(true, note?.(value));
    return value;
  } catch (error) {
    done(false);
    throw error;
  }
}
