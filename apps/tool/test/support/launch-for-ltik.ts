import { BrowserlessAgent } from '../lti/browserless-agent.ts';

/** An LTI launch followed through the LMS's and the tool's redirects and forms, as a browser would; the ltik it ends with. */
export async function launchForLtik(launchUrl: string, toolUrl: string): Promise<string> {
  const end = await new BrowserlessAgent().walk(launchUrl, (url) => url.startsWith(`${toolUrl}/app/`));
  const ltik = new URL(end.url).searchParams.get('ltik');
  if (!ltik) throw new Error(`the launch ended at ${end.url} (${end.response.status}) without an ltik`);
  return ltik;
}
