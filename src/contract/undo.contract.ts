// The undo's schemas (SPEC §10 "Undo"): the preview of GET /v1/imports/{id}/undo. POST answers the import object,
// a refusal a Problem (with `dependants` for undo_has_dependants).
import { Type, type Static } from 'typebox';
import { Nullable, ref, StringEnum, Uuid } from './common.ts';
import { UndoDependants, type ProblemCode } from './problem.contract.ts';

/** The codes of a refused undo (SPEC §10). */
export const UNDO_REFUSALS = ['import_not_completed', 'dry_run', 'undo_has_dependants'] as const satisfies readonly ProblemCode[];
export type UndoRefusalCode = (typeof UNDO_REFUSALS)[number];

const UndoCounts = Type.Object({
  remove: Type.Integer({ minimum: 0, description: 'central records no other import links: removed' }),
  keep: Type.Integer({ minimum: 0, description: 'central records another source (or import) links too: only these imports’ links go' }),
});

const perType = <T extends Parameters<typeof Type.Object>[0][string]>(schema: T) =>
  Type.Object({ clients: schema, contacts: schema, addresses: schema });

export const UndoPreview = Type.Object(
  {
    importId: Uuid,
    imports: Type.Array(Uuid, {
      description: 'the imports undone together: this one and its completed retries (and theirs), oldest first',
    }),
    undoable: Type.Boolean({ description: 'whether POST …/undo would start the undo now' }),
    refusal: Nullable(Type.Object({ code: StringEnum(UNDO_REFUSALS), detail: Type.String({ description: 'one sentence for a person' }) }), {
      description: 'why POST would be refused (import_not_completed, dry_run, undo_has_dependants); null when undoable',
    }),
    counts: perType(UndoCounts),
    removeTotal: Type.Integer({ minimum: 0, description: 'the sum of counts.*.remove' }),
    dependants: ref(UndoDependants),
    examples: perType(Type.Array(Type.String(), { description: 'up to 5 of the records it would remove, by name' })),
  },
  { $id: 'UndoPreview', description: 'what an undo of the import would remove and keep, per record type, and what blocks it' },
);
export type UndoPreview = Static<typeof UndoPreview>;
