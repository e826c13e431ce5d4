/**
 * Coalesces calls made in the same tick into one batch: `tickBatcher(run)` returns a function of
 * one input; inputs passed to it before the next `setImmediate` go to a single `run(inputs)` call,
 * whose outputs (same order, same length) resolve the callers. A rejected batch rejects every
 * caller of that batch. Used to turn a node's parallel KG reads into one round trip.
 */
export function tickBatcher<I, O>(run: (inputs: I[]) => Promise<O[]>): (input: I) => Promise<O> {
  let queued: { input: I; resolve: (o: O) => void; reject: (e: unknown) => void }[] = [];
  const flush = () => {
    const batch = queued;
    queued = [];
    run(batch.map((b) => b.input)).then(
      (outputs) => {
        if (outputs.length !== batch.length) throw new Error(`batch returned ${outputs.length} results for ${batch.length} inputs`);
        batch.forEach((b, i) => b.resolve(outputs[i]));
      },
    ).catch((e: unknown) => {
      for (const b of batch) b.reject(e);
    });
  };
  return (input) =>
    new Promise<O>((resolve, reject) => {
      if (queued.length === 0) setImmediate(flush);
      queued.push({ input, resolve, reject });
    });
}
