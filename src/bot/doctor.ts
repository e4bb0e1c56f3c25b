// `doctor` in chat: the read-only tenant check behind a port (BotDeps.doctor), answered with the
// doctor card. Who may run it is decided in access.ts (approvers and license administrators).
import type { Turn } from './turn';
import { cardAttachment } from './cards/render';
import { doctorCard } from './cards/doctor';

export async function onDoctor(turn: Turn, group?: string): Promise<void> {
  const port = turn.deps.doctor;
  if (!port) {
    await turn.send({ type: 'message', text: turn.t.doctor.unavailable });
    return;
  }
  const report = await port.run(group ? { group } : {});
  turn.log.info('doctor.run', { ok: report.ok, ms: report.ms });
  await turn.send({ type: 'message', attachments: [cardAttachment(doctorCard(turn.t, report))] });
}
