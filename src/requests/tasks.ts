// Work the workflow carries on after answering (re-checks, runs, notices), tracked so a test or a
// shutdown can wait for it: whenIdle() resolves once everything started so far has settled.
export class BackgroundTasks {
  private readonly running = new Set<Promise<unknown>>();

  /** Tracks `p` until it settles and hands it back. */
  spawn<T>(p: Promise<T>): Promise<T> {
    this.running.add(p);
    const done = () => this.running.delete(p);
    p.then(done, done);
    return p;
  }

  async whenIdle(): Promise<void> {
    while (this.running.size) await Promise.allSettled([...this.running]);
  }
}
