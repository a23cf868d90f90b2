import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { FormActions } from '../src/components/form-actions.tsx';

describe('FormActions', () => {
  it('renders both live regions empty before anything happens, so later messages are announced', () => {
    const html = renderToStaticMarkup(<FormActions statusText="" errorText={null}><button type="submit">Save</button></FormActions>);
    expect(html).toContain('<p role="status" class="save-status"></p>');
    expect(html).toContain('<div role="alert" class="alert-slot"></div>');
    expect(html.indexOf('<button')).toBeLessThan(html.indexOf('role="status"'));
  });

  it('puts progress in the status region and a refusal in the alert region', () => {
    const html = renderToStaticMarkup(<FormActions statusText="Saving…" errorText="Not saved: the report changed"><button type="submit">Save</button></FormActions>);
    expect(html).toContain('<p role="status" class="save-status">Saving…</p>');
    expect(html).toContain('<div role="alert" class="alert-slot"><p class="form-error">Not saved: the report changed</p></div>');
  });
});
