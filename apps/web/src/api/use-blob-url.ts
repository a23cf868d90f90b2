import { useEffect, useState } from 'react';
import { asApiRequestError } from './api-query.ts';

export type BlobUrlState = { status: 'idle' } | { status: 'loading' } | { status: 'ready'; url: string; text: string | null } | { status: 'error'; message: string };

/**
 * A file fetched with the bearer token as a blob (an <img> or a link cannot carry the header), held
 * as an object URL while the component shows it and revoked after. `key` names the file: a new key
 * loads again. `readText` also reads it as text (a typed statement shown escaped, never as HTML).
 */
export function useBlobUrl(load: () => Promise<Blob>, options: { key: string; isWanted: boolean; mediaType: string; readText?: boolean }): BlobUrlState {
  const { key, isWanted, mediaType, readText = false } = options;
  const [state, setState] = useState<BlobUrlState>(isWanted ? { status: 'loading' } : { status: 'idle' });
  useEffect(() => {
    if (!isWanted) return;
    let url: string | null = null;
    let isCurrent = true;
    setState({ status: 'loading' });
    load().then(
      async (blob) => {
        const text = readText ? await blob.text() : null;
        if (!isCurrent) return;
        // The blob keeps the server's recognised type, so an <object>/<video> picks the right player.
        url = URL.createObjectURL(blob.type === '' ? new Blob([blob], { type: mediaType }) : blob);
        setState({ status: 'ready', url, text });
      },
      (error: unknown) => {
        if (isCurrent) setState({ status: 'error', message: asApiRequestError(error).message });
      },
    );
    return () => {
      isCurrent = false;
      if (url !== null) URL.revokeObjectURL(url);
    };
    // Not `load`: it is a new closure each render; the file it loads is named by `key`.
  }, [key, isWanted, mediaType, readText]);
  return state;
}
