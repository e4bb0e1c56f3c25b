// Who holds a run lease, and whether that process can still be alive.
//
// A running request carries a lease: its owner's instance id and an expiry, renewed every third
// of the lease. Another process (or this one after a restart) finishes a request whose lease ran
// out. Waiting out the lease is the only safe rule between machines; on one machine we can do
// better. The instance id is `host:pid:nonce-n:b<boot id>` (nonce: once per process run; n: the
// workflow in it), and an owner is certainly gone when
//   - it ran on this host in an earlier boot (the machine restarted), or
//   - it ran on this host in this boot with our own pid but another nonce (a previous run of this
//     very process: a container restarted as pid 1), or
//   - it ran on this host in this boot and its pid no longer exists.
// Anything else (another host; a pid that exists, even if reused by another program) is taken as
// alive, and its lease is waited out. Several processes on one database file are not supported
// (docs/deploy.md); this only makes the single process's restart prompt, and stays correct when
// two processes of one machine share a file (the two-process tests do).
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';

export interface InstanceId {
  host: string;
  pid: number;
  /** Chosen once per process run (the workflow's sequence number after it is not part of it). */
  nonce: string;
  /** The kernel's boot id (Linux); undefined elsewhere and in ids written before it was recorded. */
  boot?: string;
}

let cachedBoot: string | null | undefined;

/** /proc/sys/kernel/random/boot_id without dashes, or undefined where there is none. */
export function bootId(): string | undefined {
  if (cachedBoot === undefined) {
    try {
      cachedBoot = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim().replace(/-/g, '').toLowerCase() || null;
    } catch {
      cachedBoot = null;
    }
  }
  return cachedBoot ?? undefined;
}

/** Chosen once per process run: two workflows of one process share it. */
const PROCESS_NONCE = randomBytes(4).toString('hex');
let sequence = 0;

/** A fresh id for a workflow of this process: host:pid:<process nonce>-<n>:b<boot>. */
export function newInstanceId(): string {
  const boot = bootId();
  return `${hostname()}:${process.pid}:${PROCESS_NONCE}-${++sequence}${boot ? `:b${boot}` : ''}`;
}

export function parseInstanceId(id: string): InstanceId | undefined {
  const m = /^(.+):(\d+):([0-9a-z]+)(?:-\d+)?(?::b([0-9a-f]+))?$/i.exec(id);
  if (!m) return undefined;
  return { host: m[1]!, pid: Number(m[2]), nonce: m[3]!.toLowerCase(), ...(m[4] ? { boot: m[4].toLowerCase() } : {}) };
}

/** Whether a process with this pid exists (EPERM: it does, it is just not ours). */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * True when the process that wrote `owner` is certainly not running any more (see above);
 * false when it is alive, is us, or cannot be told from here.
 */
export function ownerIsGone(owner: string, self: string, alive: (pid: number) => boolean = pidAlive): boolean {
  if (owner === self) return false;
  const o = parseInstanceId(owner);
  const me = parseInstanceId(self);
  if (!o || !me) return false;
  if (o.host.toLowerCase() !== me.host.toLowerCase()) return false;
  if (o.boot && me.boot && o.boot !== me.boot) return true;
  // Our own pid: this very process run (another workflow of it: alive), or with another process
  // nonce an earlier run of this process (a pid is one process at a time: gone).
  if (o.pid === me.pid) return o.nonce !== me.nonce;
  return !alive(o.pid);
}
