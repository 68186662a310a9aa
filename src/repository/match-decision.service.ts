// A practice user's decisions on the review (SPEC §9): merge an item's records into one, keep them apart for good,
// or split a source record off its central record. Each runs in one practice write transaction, locks what it
// changes, records who did it and when (record_actions), and answers the records as they are after it. A repeat
// of a decision already taken answers the same records (200, not an error); a different decision of a decided
// item is refused (409 match_decided).
import type { ChangedRecords, ReviewRecordType } from '../contract/matches.contract.ts';
import { waitForPracticeImports } from '../db/advisory-locks.sql.ts';
import type { Db, Queryable } from '../db/pool.ts';
import { withPracticeWrite } from '../db/tenant.ts';
import { fail, success, type Outcome } from '../domain/outcome.ts';
import type { UserScope } from '../domain/scope.ts';
import { getClient, getContact } from './client.service.ts';
import {
  closeMatch,
  countLinks,
  currentRecord,
  lockLink,
  lockMatch,
  lockRecords,
  recordActions,
  splitBefore,
  type LockedMatch,
} from './match-decision.sql.ts';
import { mergeRecords } from './match-merge.sql.ts';
import { matchItem } from './match-review.service.ts';
import { splitRecord } from './match-split.sql.ts';
import { selectMatch } from './matches.sql.ts';

const NOUN: Record<ReviewRecordType, string> = { clients: 'client', contacts: 'contact' };

/** The answer: the item (when there is one) and the records as they are now. */
async function changed(
  tx: Queryable,
  practiceId: string,
  matchId: string | null,
  type: ReviewRecordType,
  ids: string[],
): Promise<ChangedRecords> {
  const row = matchId ? await selectMatch(tx, practiceId, matchId) : null;
  const answer: ChangedRecords = { match: row && matchItem(row), clients: [], contacts: [] };
  for (const id of ids) {
    if (type === 'clients') {
      const client = await getClient(tx, practiceId, id);
      if (client.ok) answer.clients.push(client.value);
    } else {
      const contact = await getContact(tx, practiceId, id);
      if (contact.ok) answer.contacts.push(contact.value);
    }
  }
  return answer;
}

function decidedOtherwise(item: LockedMatch) {
  const how = item.resolution === 'kept_apart' ? 'kept apart' : item.resolution === 'merged' ? 'merged' : 'superseded by another merge';
  return fail('conflict', `The review item ${item.id} was ${how} already.`, { code: 'match_decided' });
}

/** A merge waits for the practice's import being processed (it may be linking to the records) — a few seconds at most. */
async function unlessImporting<T>(work: () => Promise<Outcome<T>>): Promise<Outcome<T>> {
  try {
    return await work();
  } catch (error) {
    if ((error as { code?: unknown }).code !== '55P03') throw error;
    return fail('busy', 'An import of this practice is being processed; decide again when it has finished.');
  }
}

export async function mergeMatch(db: Db, user: UserScope, id: string): Promise<Outcome<ChangedRecords>> {
  const practiceId = user.practiceId;
  return unlessImporting(() =>
    withPracticeWrite(db, practiceId, async (tx) => {
      const item = await lockMatch(tx, practiceId, id);
      if (!item) return fail('not_found', `There is no review item ${id}.`);
      const type = item.record_type;
      if (item.status === 'closed') {
        if (item.resolution !== 'merged') return decidedOtherwise(item);
        return success(await changed(tx, practiceId, id, type, [await currentRecord(tx, practiceId, item.records[0]!)]));
      }
      // Processing links source records to central records without locking them: one must not be merged away meanwhile.
      await waitForPracticeImports(tx, practiceId);
      const [survivor, ...others] = await lockRecords(tx, type, practiceId, item.records);
      if (!survivor || others.length < item.records.length - 1) {
        return fail('conflict', `A record of the review item ${id} no longer exists.`, { code: 'match_decided' });
      }
      for (const other of others) await mergeRecords(tx, type, practiceId, survivor, other, id);
      await closeMatch(tx, practiceId, id, 'merged', user.userId);
      await recordActions(
        tx,
        type,
        practiceId,
        user.userId,
        others.map((other) => ({ central: survivor, action: 'merge', detail: { match: id, other } })),
      );
      return success(await changed(tx, practiceId, id, type, [survivor]));
    }),
  );
}

export async function keepApart(db: Db, user: UserScope, id: string): Promise<Outcome<ChangedRecords>> {
  const practiceId = user.practiceId;
  return withPracticeWrite(db, practiceId, async (tx) => {
    const item = await lockMatch(tx, practiceId, id);
    if (!item) return fail('not_found', `There is no review item ${id}.`);
    const type = item.record_type;
    if (item.status === 'closed' && item.resolution !== 'kept_apart') return decidedOtherwise(item);
    const records = await lockRecords(tx, type, practiceId, item.records);
    if (item.status === 'open') {
      await closeMatch(tx, practiceId, id, 'kept_apart', user.userId);
      await recordActions(
        tx,
        type,
        practiceId,
        user.userId,
        records.flatMap((central) =>
          records
            .filter((other) => other !== central)
            .map((other) => ({ central, action: 'keep_apart' as const, detail: { match: id, other } })),
        ),
      );
    }
    return success(await changed(tx, practiceId, id, type, records));
  });
}

export async function splitOff(
  db: Db,
  user: UserScope,
  type: ReviewRecordType,
  id: string,
  link: { source: string; ref: string },
): Promise<Outcome<ChangedRecords>> {
  const practiceId = user.practiceId;
  const noun = NOUN[type];
  return withPracticeWrite(db, practiceId, async (tx) => {
    if ((await lockRecords(tx, type, practiceId, [id])).length === 0) {
      const mergedInto = await currentRecord(tx, practiceId, id);
      return mergedInto === id
        ? fail('not_found', `There is no ${noun} ${id}.`)
        : fail('not_found', `The ${noun} ${id} was merged into ${mergedInto}.`, { code: 'record_merged', mergedInto });
    }
    const linked = await lockLink(tx, type, practiceId, link.source, link.ref);
    const missing = fail('not_found', `The ${noun} ${id} has no source record ${link.source} ${link.ref}.`);
    if (linked === null) return missing;
    if (linked !== id) {
      const repeat = await splitBefore(tx, type, practiceId, { central: id, ...link, own: linked });
      return repeat ? success(await changed(tx, practiceId, null, type, [id, linked])) : missing;
    }
    if ((await countLinks(tx, type, practiceId, id)) < 2) {
      return fail('conflict', `${link.source} ${link.ref} is the ${noun}’s only source record: there is nothing to split it from.`, {
        code: 'split_only_source',
      });
    }
    const own = await splitRecord(tx, type, practiceId, id, link.source, link.ref);
    await recordActions(tx, type, practiceId, user.userId, [
      { central: id, action: 'split', detail: { other: own, ...link } },
      { central: own, action: 'split', detail: { other: id, ...link } },
    ]);
    return success(await changed(tx, practiceId, null, type, [id, own]));
  });
}
