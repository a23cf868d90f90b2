// Moodle's activity form, which a deep-linking return fills: press one of its buttons as the teacher would.
import { readForm } from './html-form.ts';

export type ActivityFormButton = 'submitbutton2' | 'cancel';

/** Posts the form the return page holds with "Save and return to course" or "Cancel" pressed. */
export async function pressInActivityForm(lmsUrl: string, html: string, button: ActivityFormButton): Promise<Response> {
  const form = readForm(html);
  return fetch(new URL(form.action, lmsUrl), { method: 'POST', body: new URLSearchParams({ ...form.fields, [button]: '1' }), redirect: 'manual' });
}
