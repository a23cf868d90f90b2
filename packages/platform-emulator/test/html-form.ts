// Reads the self-submitting hand-over forms the emulator serves, as a browser would submit them.
export interface HandOverForm {
  readonly action: string;
  readonly fields: Record<string, string>;
}

const entities: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" };
const decode = (text: string) => text.replace(/&(#?\w+);/g, (whole, name: string) => entities[name] ?? whole);

export function readForm(html: string): HandOverForm {
  const form = /<form\b[^>]*\baction="([^"]*)"[^>]*>([\s\S]*?)<\/form>/i.exec(html);
  if (!form) throw new Error(`No form in: ${html.slice(0, 200)}`);
  const fields: Record<string, string> = {};
  for (const input of form[2]?.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g) ?? []) {
    fields[decode(input[1] ?? '')] = decode(input[2] ?? '');
  }
  return { action: decode(form[1] ?? ''), fields };
}
