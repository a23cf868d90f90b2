import type { z } from 'zod';

/** A refusal from the tool's API, with the status and the start of the body for the log line. */
export class ToolApiError extends Error {
  readonly status: number;
  constructor(message: string, status: number) {
    super(message);
    this.name = 'ToolApiError';
    this.status = status;
  }
}

/**
 * The tool's JSON API as the web UI calls it: the launch token as a bearer, every reply parsed
 * with the shared contract, so the demo breaks loudly when the API and the contract drift apart.
 */
export class ToolApi {
  constructor(
    readonly origin: string,
    private readonly ltik: string,
  ) {}

  get<T>(path: string, schema: z.ZodType<T>): Promise<T> {
    return this.send('GET', path, undefined, schema);
  }

  post<T>(path: string, body: unknown, schema: z.ZodType<T>): Promise<T> {
    return this.send('POST', path, { body: JSON.stringify(body), contentType: 'application/json' }, schema);
  }

  put<T>(path: string, body: unknown, schema: z.ZodType<T>): Promise<T> {
    return this.send('PUT', path, { body: JSON.stringify(body), contentType: 'application/json' }, schema);
  }

  /** A file upload as the UI sends it: the raw bytes, the name percent-encoded in `X-File-Name`. */
  upload(path: string, file: { name: string; mediaType: string; content: Buffer }): Promise<unknown> {
    // A copy on its own ArrayBuffer: fetch's body types (DOM and undici alike) refuse a Buffer's shared one.
    return this.send('POST', path, { body: Uint8Array.from(file.content), contentType: file.mediaType, headers: { 'X-File-Name': encodeURIComponent(file.name) } }, null);
  }

  private async send<T>(method: string, path: string, payload: { body: string | Uint8Array<ArrayBuffer>; contentType: string; headers?: Record<string, string> } | undefined, schema: z.ZodType<T> | null): Promise<T> {
    const response = await fetch(`${this.origin}${path}`, {
      method,
      headers: { Authorization: `Bearer ${this.ltik}`, Accept: 'application/json', ...(payload ? { 'Content-Type': payload.contentType, ...payload.headers } : {}) },
      body: payload?.body,
    });
    const text = await response.text();
    if (!response.ok) throw new ToolApiError(`${method} ${path} answered ${response.status}: ${text.slice(0, 300)}`, response.status);
    const json = text === '' ? undefined : (JSON.parse(text) as unknown);
    return schema === null ? (json as T) : schema.parse(json);
  }
}
