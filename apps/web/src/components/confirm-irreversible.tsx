import { useEffect, useId, useRef } from 'react';

export interface ConfirmIrreversibleProps {
  /** The question, naming the act: "Sign off this unit?" */
  title: string;
  /** What cannot be undone, and what follows, in plain words. */
  words: string;
  confirmLabel: string;
  keepLabel: string;
  isBusy: boolean;
  onConfirm: () => void;
  onKeep: () => void;
}

/**
 * Asks once before an act that cannot be undone (issue 11: a signature, marking oneself not yet
 * qualified). Inline, not `window.confirm`: Chrome shows no dialogs from a cross-origin frame, and
 * the tool always runs in one. Focus moves to the safe choice, so Enter alone never signs.
 */
export function ConfirmIrreversible({ title, words, confirmLabel, keepLabel, isBusy, onConfirm, onKeep }: ConfirmIrreversibleProps) {
  const id = useId();
  const keep = useRef<HTMLButtonElement>(null);
  useEffect(() => keep.current?.focus(), []);
  return (
    <div className="reopen-unit confirm-irreversible" role="alertdialog" aria-labelledby={`${id}-title`} aria-describedby={`${id}-words`}>
      <h3 id={`${id}-title`}>{title}</h3>
      <p id={`${id}-words`}>{words}</p>
      <div className="form-actions">
        <button type="button" className="button" aria-disabled={isBusy} onClick={() => !isBusy && onConfirm()}>
          {confirmLabel}
        </button>
        <button ref={keep} type="button" className="button button-secondary" onClick={onKeep}>
          {keepLabel}
        </button>
      </div>
    </div>
  );
}
