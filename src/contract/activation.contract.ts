// Activation (SPEC §10): the practice activates BrightClient, each connected source product gets an import of kind
// `activation` to fulfil with its whole export, and the practice follows them, one line per source.
import { Type, type Static } from 'typebox';
import { DateTime, Nullable, ref, StringEnum } from './common.ts';
import { Actor, ImportView } from './imports.contract.ts';

/**
 * Where a source stands: no import yet; its activation import waiting for the product (no batch yet), receiving
 * batches, processing (an undo of it counts as processing too); completed (it, or any other import of the source
 * that completed and wrote data); cancelled (cancelled, expired or undone — activating again opens a new one).
 */
export const ACTIVATION_STATES = ['not_started', 'waiting', 'receiving', 'processing', 'completed', 'cancelled'] as const;
export type ActivationState = (typeof ACTIVATION_STATES)[number];

export const ActivationSource = Type.Object(
  {
    source: Type.String({ description: 'the source product, e.g. brightmanager' }),
    state: StringEnum(ACTIVATION_STATES, {
      description:
        'not_started; waiting (receiving, no batch yet); receiving; processing; completed; cancelled (cancelled, expired or undone: activate again)',
    }),
    import: Nullable(ref(ImportView), {
      description: 'its activation import; for a source that completed an import of its own before, that import; null when not started',
    }),
  },
  { $id: 'ActivationSource' },
);
export type ActivationSource = Static<typeof ActivationSource>;

export const Activation = Type.Object(
  {
    sources: Type.Array(ref(ActivationSource), {
      description: 'every source of the practice with a source token (or an activation import), by name',
    }),
    activatedAt: Nullable(DateTime, { description: 'when the practice first activated BrightClient; null: never' }),
    activatedBy: Nullable(ref(Actor), { description: 'the practice user who first activated it' }),
    completed: Type.Boolean({ description: 'every source has completed: the web UI stops showing the panel' }),
  },
  { $id: 'Activation' },
);
export type Activation = Static<typeof Activation>;
