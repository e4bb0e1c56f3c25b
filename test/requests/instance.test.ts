import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { hostname } from 'node:os';
import { bootId, newInstanceId, ownerIsGone, parseInstanceId, pidAlive } from '../../src/requests/instance';

describe('requests: lease owners (instance ids) and whether they are gone', () => {
  const me = newInstanceId();
  const boot = bootId();
  const id = (host: string, pid: number, nonce: string, b = boot) => `${host}:${pid}:${nonce}${b ? `:b${b}` : ''}`;
  // A pid that certainly existed and certainly is gone now.
  const deadPid = spawnSync(process.execPath, ['-e', '0']).pid!;

  it('ids carry host, pid, the process nonce and the boot id', () => {
    const p = parseInstanceId(me)!;
    assert.equal(p.host, hostname());
    assert.equal(p.pid, process.pid);
    if (boot) assert.equal(p.boot, boot);
    const other = newInstanceId();
    assert.notEqual(other, me, 'each workflow its own id');
    assert.equal(parseInstanceId(other)!.nonce, p.nonce, 'one nonce per process run');
    assert.deepEqual(parseInstanceId('vm:10528:385079b5'), { host: 'vm', pid: 10528, nonce: '385079b5' }, 'ids of older builds still parse');
    assert.equal(parseInstanceId('dead-process'), undefined);
  });

  it('gone: this host in an earlier boot, our pid from an earlier run, a pid that no longer exists', () => {
    assert.equal(pidAlive(deadPid), false);
    assert.equal(ownerIsGone(id(hostname(), deadPid, 'aaaaaaaa-1'), me), true);
    assert.equal(ownerIsGone(id(hostname(), process.pid, 'bbbbbbbb-1'), me), true, 'same pid, another run');
    if (boot) assert.equal(ownerIsGone(id(hostname(), process.ppid, 'cccccccc-1', 'f'.repeat(32)), me), true, 'another boot');
  });

  it('not gone: us, another workflow of this process, a live pid, another host, an id it cannot read', () => {
    assert.equal(ownerIsGone(me, me), false);
    assert.equal(ownerIsGone(newInstanceId(), me), false);
    assert.equal(ownerIsGone(id(hostname(), process.ppid, 'dddddddd-1'), me), false);
    assert.equal(ownerIsGone(id('other-host', deadPid, 'eeeeeeee-1'), me), false);
    assert.equal(ownerIsGone('dead-process', me), false);
  });
});
