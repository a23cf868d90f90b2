import { useEffect, useState, type RefObject } from 'react';

/**
 * After a refused save, moves focus to the first field marked invalid, so keyboard and screen
 * reader users land on what to fix (its message is tied to it with aria-describedby), or to an error marked `data-focus-on-error` where a group has no single field. Returns the
 * function to call on each refusal; errors that merely change while typing move nothing.
 */
export function useFocusFirstError(form: RefObject<HTMLElement | null>): () => void {
  const [refusals, setRefusals] = useState(0);
  useEffect(() => {
    if (refusals > 0) form.current?.querySelector<HTMLElement>('[aria-invalid="true"], [data-focus-on-error]')?.focus();
  }, [form, refusals]);
  return () => setRefusals((n) => n + 1);
}
