import { useState } from 'react';
import { apiRoutes, type EvidenceFile } from '@attest/contracts';
import type { ApiClient } from '../api/api-client.ts';
import { asApiRequestError } from '../api/api-query.ts';
import { useBlobUrl, type BlobUrlState } from '../api/use-blob-url.ts';
import { formatBytes } from '../portfolio/upload-request.ts';

export type PreviewKind = 'image' | 'pdf' | 'audio' | 'video' | 'text' | 'none';

/** How the browser can show a file inline, from the type the server recognised in its content. */
export function previewKindOf(mediaType: string): PreviewKind {
  const type = mediaType.split(';')[0]?.trim().toLowerCase() ?? '';
  // SVG can carry script; it is offered as a download, never rendered.
  if (type.startsWith('image/') && type !== 'image/svg+xml') return 'image';
  if (type === 'application/pdf') return 'pdf';
  if (type.startsWith('audio/')) return 'audio';
  if (type.startsWith('video/')) return 'video';
  // Plain text (a typed witness statement) is shown as text, escaped by React, never as HTML.
  if (type === 'text/plain') return 'text';
  return 'none';
}

/** Larger files wait for a click: a phone on a slow link should not fetch a 90 MB video unasked. */
export const AUTO_PREVIEW_BYTES = 15 * 1024 * 1024;

/** The assessor's request for one file of a learner's item. */
const assessorFile = (itemId: string, fileId: string) => ({ params: { itemId, fileId } });

/** Text beyond this is cut in the page; the whole file stays downloadable. */
const MAX_TEXT_CHARS = 100_000;

/**
 * One file of a learner's item, fetched with the bearer token as a blob (links cannot carry the
 * header) and shown inline where the browser can; always downloadable.
 */
export function FilePreview({ api, itemId, file }: { api: ApiClient; itemId: string; file: EvidenceFile }) {
  const kind = previewKindOf(file.mediaType);
  const [isWanted, setWanted] = useState(kind !== 'none' && file.size <= AUTO_PREVIEW_BYTES);
  const loaded = useBlobUrl(() => api.getBlob(apiRoutes.getAssessorEvidenceFile, assessorFile(itemId, file.id)), { key: `${itemId} ${file.id}`, isWanted, mediaType: file.mediaType, readText: kind === 'text' });
  const [downloadError, setDownloadError] = useState<string | null>(null);
  const state: BlobUrlState = downloadError !== null ? { status: 'error', message: downloadError } : loaded;

  // Types the browser cannot show are saved straight away: one click, as on the learner's screen.
  async function download() {
    try {
      const url = URL.createObjectURL(await api.getBlob(apiRoutes.getAssessorEvidenceFile, assessorFile(itemId, file.id)));
      const link = document.createElement('a');
      link.href = url;
      link.download = file.name;
      document.body.append(link);
      link.click();
      link.remove();
      // Revoking at once can cancel the download the click started in some browsers.
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    } catch (error) {
      setDownloadError(asApiRequestError(error).message);
    }
  }

  return (
    <figure className="file-preview">
      <figcaption>
        {file.name} <span className="hint-inline">({formatBytes(file.size)})</span>
      </figcaption>
      {state.status === 'idle' && kind !== 'none' ? (
        <button type="button" className="button button-secondary button-small" onClick={() => setWanted(true)}>
          Show <span className="visually-hidden">{file.name}</span>
        </button>
      ) : null}
      {kind === 'none' ? (
        <button type="button" className="button button-secondary button-small" onClick={() => void download()}>
          Download <span className="visually-hidden">{file.name}</span>
        </button>
      ) : null}
      {state.status === 'loading' ? <p className="hint" role="status">Loading {file.name}…</p> : null}
      {state.status === 'error' ? (
        <p className="form-error" role="alert">
          {file.name} could not be shown: {state.message}
        </p>
      ) : null}
      {state.status === 'ready' ? <Inline kind={kind} url={state.url} text={state.text} name={file.name} /> : null}
    </figure>
  );
}

function Inline({ kind, url, text, name }: { kind: PreviewKind; url: string; text: string | null; name: string }) {
  const download = (
    <a className="button button-secondary button-small" href={url} download={name}>
      Download <span className="visually-hidden">{name}</span>
    </a>
  );
  switch (kind) {
    case 'image':
      return (
        <>
          <img className="preview-media" src={url} alt={`Evidence file ${name}`} />
          {download}
        </>
      );
    case 'audio':
      return (
        <>
          <audio className="preview-media" controls src={url} aria-label={`Play ${name}`} />
          {download}
        </>
      );
    case 'video':
      return (
        <>
          <video className="preview-media" controls src={url} aria-label={`Play ${name}`} />
          {download}
        </>
      );
    case 'pdf':
      // Browsers without a PDF viewer (most phones) show the fallback link instead of a blank box.
      return (
        <>
          <object className="preview-pdf" data={url} type="application/pdf" aria-label={`PDF ${name}`}>
            <p>This browser cannot show the PDF here.</p>
          </object>
          {download}
        </>
      );
    case 'text':
      return (
        <>
          <pre className="preview-text" tabIndex={0} aria-label={`Text of ${name}`}>
            {(text ?? '').slice(0, MAX_TEXT_CHARS)}
          </pre>
          {(text ?? '').length > MAX_TEXT_CHARS ? <p className="hint">Only the beginning is shown; download the file for the rest.</p> : null}
          {download}
        </>
      );
    case 'none':
      return download;
  }
}
