// Buttons whose action cannot be taken back without work (merge, keep apart, split, cancel an import): pressing one
// asks first, saying what will happen; the answer runs it. While it runs nothing can be pressed twice; a refusal
// is shown where the buttons were. Focus stays with the keyboard: on the question's Yes, and back on the button.
import { useEffect, useRef, useState, type ReactNode } from 'react';

export interface Choice {
  /** the button: "Merge" */
  label: string;
  /** the button's accessible name, when the label alone is ambiguous on the page (one per source row) */
  name?: string;
  /** what will happen, asked before it does */
  question: ReactNode;
  /** the confirming button: "Yes, merge", and while it runs: "Merging…" */
  confirm: string;
  running: string;
  /** the look of the first button; the confirming one is `confirmTone` (default: the same) */
  tone: 'primary' | 'secondary' | 'danger';
  confirmTone?: 'primary' | 'danger';
  /** the way back from the question (default "Back") */
  back?: string;
  run: () => Promise<void>;
}

const toneClass = (tone: Choice['tone']) => (tone === 'primary' ? undefined : tone);

export function ConfirmedActions({ choices, className }: { choices: Choice[]; className?: string }) {
  const [chosen, setChosen] = useState<number | null>(null);
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const buttons = useRef<(HTMLButtonElement | null)[]>([]);
  const refocus = useRef<number | null>(null);
  const mounted = useRef(true);
  useEffect(
    () => () => {
      mounted.current = false;
    },
    [],
  );
  useEffect(() => {
    if (chosen === null && refocus.current !== null) {
      buttons.current[refocus.current]?.focus();
      refocus.current = null;
    }
  }, [chosen]);

  const back = (index: number) => {
    refocus.current = index;
    setChosen(null);
  };
  const run = async (choice: Choice) => {
    setRunning(true);
    setError(null);
    try {
      await choice.run();
      // Done: the page shows the outcome in this control's place (the item decided, the source row gone, the
      // import cancelled); until it does, the control stays disabled so nothing is sent twice.
    } catch (e) {
      if (mounted.current) {
        setError(e instanceof Error ? e.message : String(e));
        setRunning(false);
      }
    }
  };

  const choice = chosen === null ? null : choices[chosen];
  return (
    <div className={['actions', className].filter(Boolean).join(' ')}>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {choice && chosen !== null ? (
        <>
          <span className="question">{choice.question}</span>
          <button
            type="button"
            className={toneClass(choice.confirmTone ?? choice.tone)}
            disabled={running}
            onClick={() => void run(choice)}
            autoFocus
          >
            {running ? choice.running : choice.confirm}
          </button>
          <button type="button" className="secondary" disabled={running} onClick={() => back(chosen)}>
            {choice.back ?? 'Back'}
          </button>
        </>
      ) : (
        choices.map((c, i) => (
          <button
            key={c.label}
            type="button"
            className={toneClass(c.tone)}
            aria-label={c.name}
            ref={(el) => {
              buttons.current[i] = el;
            }}
            onClick={() => {
              setError(null);
              setChosen(i);
            }}
          >
            {c.label}
          </button>
        ))
      )}
    </div>
  );
}
