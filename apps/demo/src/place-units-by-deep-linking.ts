import { CatalogueSchema, DeepLinkingResponseSchema, SessionSchema, type CatalogueEntry } from '@attest/contracts';
import type { PlatformEmulator, ResourceLink } from '@attest/platform-emulator';
import { findAutoPostForm } from './http-user-agent.ts';
import { launchToolApi } from './launch-tool-api.ts';

export interface PlaceUnitsInput {
  readonly emulator: PlatformEmulator;
  /** The tool's base URL, e.g. http://localhost:3000. */
  readonly toolUrl: string;
  readonly courseId: string;
  /** An instructor of the course: deep linking is their launch. */
  readonly instructorId: string;
  readonly clientId: string;
  /** Which units to place, in order of preference; the first `count` the catalogue has are used. */
  readonly preferredUnitIds: readonly string[];
  readonly count: number;
}

export interface PlacedUnits {
  readonly units: readonly CatalogueEntry[];
  readonly links: readonly ResourceLink[];
}

/**
 * Places units in the course the way an instructor does, over the same HTTP requests their browser
 * makes: the deep-linking launch (OIDC login → authorisation → id_token POST → `/app/?ltik=`), the
 * UI's `POST /api/deep-linking`, the form post of the signed response to the LMS's return URL, and
 * "Save and return to course" in the activity form Moodle fills with it.
 * Nothing is placed behind the tool's back, so the demo's activities are exactly what a real
 * Moodle would hold after the same clicks.
 */
export async function placeUnitsByDeepLinking(input: PlaceUnitsInput): Promise<PlacedUnits> {
  const { emulator, toolUrl, courseId, instructorId, clientId } = input;
  const { api, agent } = await launchToolApi(emulator.deepLinkingLaunchUrl({ courseId, userId: instructorId, clientId }), toolUrl);
  const session = await api.get('/api/session', SessionSchema);
  if (session.view !== 'deep-linking') throw new Error(`The tool opened "${session.view}" for a deep-linking launch`);

  const catalogue = await api.get('/api/catalogue', CatalogueSchema);
  const preferred = input.preferredUnitIds.map((id) => catalogue.find((unit) => unit.id === id)).filter((unit): unit is CatalogueEntry => unit !== undefined);
  const units = [...preferred, ...catalogue.filter((unit) => !preferred.includes(unit))].slice(0, input.count);
  if (units.length < input.count) throw new Error(`The tool's catalogue has ${catalogue.length} unit(s); the demo needs ${input.count}`);

  const before = new Set(emulator.getResourceLinks(courseId).map((link) => link.id));
  const response = await api.post('/api/deep-linking', { unitIds: units.map((unit) => unit.id) }, DeepLinkingResponseSchema);
  // The UI does this from inside the LMS frame: a form post of JWT=<jwt> (Deep Linking 2.0 §4.2).
  const returned = await agent.request(response.returnUrl, { form: { JWT: response.jwt } });
  const returnedPage = await returned.text();
  if (returned.status >= 400) throw new Error(`The LMS refused the deep-linking response: HTTP ${returned.status}: ${returnedPage.slice(0, 300)}`);
  // Moodle's return only fills the activity form; the activities exist once the teacher saves it.
  const activityForm = returnedPage.includes('id="activity-form"') ? findAutoPostForm(returnedPage, response.returnUrl) : null;
  if (activityForm) {
    const saved = await agent.follow(activityForm.action, { form: { ...activityForm.fields, submitbutton2: 'Save and return to course' } });
    if (saved.status >= 400) throw new Error(`The LMS refused to save the activity form: HTTP ${saved.status}: ${saved.body.slice(0, 300)}`);
  }

  const links = emulator.getResourceLinks(courseId).filter((link) => !before.has(link.id) && link.placedBy === 'deepLinking');
  if (links.length !== units.length) throw new Error(`Deep linking placed ${links.length} activit(ies) for ${units.length} unit(s)`);
  return { units, links };
}
