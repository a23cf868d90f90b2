import { HttpUserAgent } from './http-user-agent.ts';
import { ToolApi } from './tool-api.ts';

/**
 * Walks a launch from the LMS's login-initiation URL (OIDC login → authorisation → id_token POST)
 * to the tool's `/app/?ltik=` and returns the API as that user's browser would call it. The agent
 * is returned too, for flows that go back to the LMS afterwards (the deep-linking response).
 */
export async function launchToolApi(launchUrl: string, toolUrl: string): Promise<{ api: ToolApi; agent: HttpUserAgent }> {
  const toolOrigin = new URL(toolUrl).origin;
  const agent = new HttpUserAgent();
  const launch = await agent.follow(launchUrl, { stopAt: (url) => url.origin === toolOrigin && url.pathname.startsWith('/app') });
  const ltik = new URL(launch.url).searchParams.get('ltik');
  if (!ltik) throw new Error(`The launch did not reach the tool's UI: it stopped at ${launch.url} with HTTP ${launch.status}: ${launch.body.slice(0, 300)}`);
  return { api: new ToolApi(toolOrigin, ltik), agent };
}
