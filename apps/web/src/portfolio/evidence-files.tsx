import { useEffect, useId, useRef, useState, type ChangeEvent } from 'react';
import { acceptAttribute } from '@attest/evidence-files/rules';
import { apiRoutes, EvidenceFileSchema, EvidenceItemSchema, type EvidenceFile, type EvidenceItem, type StorageUsage } from '@attest/contracts';
import { sessionExpiredMessage, type ApiClient } from '../api/api-client.ts';
import { asApiRequestError } from '../api/api-query.ts';
import { useBlobUrl } from '../api/use-blob-url.ts';
import { AUTO_PREVIEW_BYTES, previewKindOf } from '../assessor/file-preview.tsx';
import { checkFileAgainstQuota, StorageUsageLine } from './storage-usage-line.tsx';
import { checkFileBeforeUpload, formatBytes, kindLimitsText, uploadErrorMessage, uploadFile, uploadLimitsText } from './upload-request.ts';

// Finished uploads keep their full bar until the next pick, so the outcome stays visible.
// After a dropped connection: lost until the client finds where the server's bytes stopped, then resumed from there.
type Resumption = { state: 'lost' } | { state: 'resumed'; fromPercent: number };
type Upload = { key: string; name: string; loaded: number; total: number; isDone: boolean; resumption?: Resumption };

/** The item's files: limits up front, one request per file with its own progress bar, downloads with the bearer. */
export function EvidenceFiles({
  api,
  item,
  draftKind,
  firstFiles,
  usage,
  isLocked,
  saveFirst,
  onUploaded,
}: {
  api: ApiClient;
  item: EvidenceItem | null;
  /** The kind chosen in the form, which a new item is saved as: its rules apply before the first file. */
  draftKind: EvidenceItem['evidenceType'];
  /** Files the learner picked on the unit page for this new item, sent as soon as the editor opens. */
  firstFiles?: readonly File[] | undefined;
  /** Saves a new item for its first file, so nothing waits for a title; null (with the reason shown) when it cannot. */
  saveFirst: (file: File) => Promise<EvidenceItem | null>;
  /** The learner's quota in this course as the portfolio last reported it. */
  usage: StorageUsage;
  isLocked: boolean;
  onUploaded: (result: { item: EvidenceItem } | { file: EvidenceFile }) => void;
}) {
  const id = useId();
  // Bytes stored since the portfolio was loaded, so the line and the check stay true while the editor is open.
  const [addedBytes, setAddedBytes] = useState(0);
  const currentUsage: StorageUsage = { ...usage, bytesUsed: usage.bytesUsed + addedBytes, bytesLeft: Math.max(0, usage.bytesLeft - addedBytes) };
  const input = useRef<HTMLInputElement>(null);
  const [uploads, setUploads] = useState<Upload[]>([]);
  const [errors, setErrors] = useState<string[]>([]);
  const [done, setDone] = useState<string>('');

  function pick(event: ChangeEvent<HTMLInputElement>) {
    const files = [...(event.target.files ?? [])];
    event.target.value = '';
    void addFiles(files);
  }

  // Files picked on the unit page arrive once, with the editor; a ref, not the effect, guards
  // against sending them twice (React runs a new component's effects twice in development).
  const isFirstFilesSent = useRef(false);
  useEffect(() => {
    if (firstFiles === undefined || firstFiles.length === 0 || isFirstFilesSent.current) return;
    isFirstFilesSent.current = true;
    void addFiles([...firstFiles]);
    // Once, on opening: later renders carry the same files.
  }, []);

  async function addFiles(files: readonly File[]) {
    const [first] = files;
    if (first === undefined) return;
    const target = item ?? (await saveFirst(first));
    if (target === null) return;
    const token = api.token;
    if (token === null) {
      api.reportSessionEnded?.();
      return setErrors([sessionExpiredMessage]);
    }
    const problems: string[] = [];
    const names: string[] = [];
    setUploads([]);
    setErrors([]);
    setDone('');
    let count = target.files.length;
    let bytesLeft = currentUsage.bytesLeft;
    // One at a time: the server checks each file's content as it streams, and a learner on a slow
    // link sees one bar move rather than several crawl.
    for (const [index, file] of files.entries()) {
      // The kind the server judges the file by is the saved item's, not a type picked since.
      const problem = checkFileBeforeUpload(file, count, target.evidenceType) ?? checkFileAgainstQuota(file, bytesLeft);
      if (problem !== null) {
        problems.push(problem);
        continue;
      }
      const key = `${Date.now()}-${index}`;
      setUploads((current) => [...current, { key, name: file.name, loaded: 0, total: file.size, isDone: false }]);
      const update = (change: (upload: Upload) => Partial<Upload>) => setUploads((current) => current.map((u) => (u.key === key ? { ...u, ...change(u) } : u)));
      const result = await uploadFile(
        { baseUrl: api.baseUrl, token, itemId: target.id, file },
        {
          onProgress: (loaded, total) =>
            update((u) => ({ loaded, total, ...(u.resumption?.state === 'lost' ? { resumption: { state: 'resumed', fromPercent: percentOf(loaded, total) } } : {}) })),
          onConnectionLost: () => update(() => ({ resumption: { state: 'lost' } })),
        },
      );
      const isStored = result.status >= 200 && result.status < 300;
      setUploads((current) => (isStored ? current.map((u) => (u.key === key ? { ...u, loaded: u.total, isDone: true } : u)) : current.filter((u) => u.key !== key)));
      if (isStored) {
        count += 1;
        bytesLeft -= file.size;
        setAddedBytes((added) => added + file.size);
        names.push(file.name);
        const asItem = EvidenceItemSchema.safeParse(result.body);
        const asFile = EvidenceFileSchema.safeParse(result.body);
        if (asItem.success) onUploaded({ item: asItem.data });
        else if (asFile.success) onUploaded({ file: asFile.data });
        // The server had every byte before the last answer was lost: the item as it is now.
        else onUploaded({ item: await api.call(apiRoutes.getEvidence, { params: { id: target.id } }).catch(() => target) });
      } else {
        // The token has passed its lifetime: every later file would be refused too, and the whole
        // screen now says so.
        if (result.status === 401) {
          api.reportSessionEnded?.();
          return;
        }
        problems.push(uploadErrorMessage(file.name, result.status, result.body));
      }
    }
    setErrors(problems);
    setDone(names.length === 0 ? '' : `Uploaded ${names.join(', ')}.`);
  }

  async function download(file: EvidenceFile) {
    if (item === null) return;
    try {
      const blob = await api.getBlob(apiRoutes.getEvidenceFile, { params: { id: item.id, fileId: file.id } });
      const url = URL.createObjectURL(blob);
      const link = document.createElement('a');
      link.href = url;
      link.download = file.name;
      document.body.append(link);
      link.click();
      link.remove();
      // The click starts the download asynchronously; revoking at once can cancel it in some browsers.
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    } catch (error) {
      setErrors([`${file.name} could not be downloaded: ${asApiRequestError(error).message}`]);
    }
  }

  return (
    // The section around this already has the "Files" heading; one input needs no fieldset of its own.
    <div className="form-section">
      <p className="hint" id={`${id}-limits`}>
        {uploadLimitsText} {kindLimitsText(item?.evidenceType ?? draftKind)}
      </p>
      <StorageUsageLine usage={currentUsage} id={`${id}-usage`} />
      {item === null ? <p className="hint">Adding a file saves this evidence, titled after the file until you give it a title.</p> : null}
      {item !== null && item.files.length > 0 ? (
        <ul className="file-list" aria-label="Files of this evidence">
          {item.files.map((file) => (
            <li key={file.id}>
              <span className="file-name">
                {previewKindOf(file.mediaType) === 'image' && file.size <= AUTO_PREVIEW_BYTES ? <FileThumbnail api={api} itemId={item.id} file={file} /> : null}
                <span>
                  {file.name} <span className="hint-inline">({formatBytes(file.size)})</span>
                </span>
              </span>
              <button type="button" className="button button-secondary button-small" onClick={() => void download(file)}>
                Download <span className="visually-hidden">{file.name}</span>
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      <div className="field">
        <label htmlFor={`${id}-input`}>Add files</label>
        <input ref={input} id={`${id}-input`} type="file" multiple accept={acceptAttribute(item?.evidenceType ?? draftKind)} disabled={isLocked} aria-describedby={`${id}-limits ${id}-usage${errors.length > 0 ? ` ${id}-errors` : ''}`} onChange={pick} />
      </div>
      {uploads.map((upload) => (
        <div key={upload.key} className="upload">
          <label htmlFor={`${id}-${upload.key}`}>
            {upload.isDone ? 'Uploaded' : 'Uploading'} {upload.name}
          </label>
          <progress id={`${id}-${upload.key}`} max={upload.total || 1} value={upload.loaded} />
          <span className="hint-inline">{upload.total > 0 ? `${percentOf(upload.loaded, upload.total)}%` : ''}</span>
          <span role="status" className="hint-inline">{resumptionText(upload.resumption)}</span>
        </div>
      ))}
      <div id={`${id}-errors`} role="alert" className="alert-slot">
        {errors.length === 0 ? null : (
          <ul className="form-error plain-list">
            {errors.map((error, index) => (
              <li key={index}>{error}</li>
            ))}
          </ul>
        )}
      </div>
      <p role="status" className="status-slot">{done}</p>
    </div>
  );
}

const percentOf = (loaded: number, total: number) => Math.round((loaded / total) * 100);

/** What the learner is told when the connection drops, and when the upload carries on without starting again. */
function resumptionText(resumption: Resumption | undefined): string {
  if (resumption === undefined) return '';
  if (resumption.state === 'lost') return 'Connection lost. Attest will carry on when it is back; keep this page open.';
  return `Connection back: carrying on from ${resumption.fromPercent}%, not from the start.`;
}

/**
 * A small picture of one of the learner's own photos, so they can tell which file is which. Its name
 * stands beside it, so the picture itself is decorative to a screen reader.
 */
function FileThumbnail({ api, itemId, file }: { api: ApiClient; itemId: string; file: EvidenceFile }) {
  const state = useBlobUrl(() => api.getBlob(apiRoutes.getEvidenceFile, { params: { id: itemId, fileId: file.id } }), { key: `${itemId} ${file.id}`, isWanted: true, mediaType: file.mediaType });
  return state.status === 'ready' ? <img className="file-thumbnail" src={state.url} alt="" data-file-id={file.id} /> : <span className="file-thumbnail" aria-hidden="true" />;
}
