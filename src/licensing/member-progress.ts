// Progress of a preflight's member read, for whoever waits on it (the bot's "Checking Sales…"
// card): members read so far, and about how many there are from one $count read started when the
// group is known. Only when someone asked for progress: the CLI and the specs read no count.
import type { GraphGateway } from '../graph/gateway';
import type { ReadProgress } from './model';

export class MemberReadProgress {
  private groupId = '';
  private read = 0;
  private total: number | undefined;
  private name: string | undefined;

  constructor(
    private readonly gateway: Pick<GraphGateway, 'memberCount'>,
    private readonly onProgress: ((p: ReadProgress) => void) | undefined,
  ) {}

  /** The group is known: its name, and the count read (a failed count only leaves the total out). */
  group(id: string, name: string): void {
    if (!this.onProgress) return;
    this.switchTo(id);
    this.name = name;
    const asked = id;
    this.gateway.memberCount(id).then(
      (n) => {
        if (asked.toLowerCase() !== this.groupId || typeof n !== 'number') return;
        this.total = n;
        this.emit();
      },
      () => undefined,
    );
    this.emit();
  }

  /** A page of `groupId`'s users arrived. */
  page(groupId: string, users: readonly unknown[]): void {
    if (!this.onProgress) return;
    this.switchTo(groupId);
    this.read += users.length;
    this.emit();
  }

  /** An early read of a group guessed by name is dropped when the name meant another group. */
  private switchTo(id: string): void {
    if (id.toLowerCase() === this.groupId) return;
    this.groupId = id.toLowerCase();
    this.read = 0;
    this.total = undefined;
    this.name = undefined;
  }

  private emit(): void {
    try {
      this.onProgress?.({ read: this.read, ...(this.total !== undefined ? { total: this.total } : {}), ...(this.name ? { name: this.name } : {}) });
    } catch {
      /* progress is a courtesy: it never breaks the read */
    }
  }
}
