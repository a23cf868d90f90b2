import type { EmulatorContext } from './emulator-context.ts';
import type { DeepLinkingTarget, LaunchTarget } from './types.ts';

/** The emulator's own page that starts a resource-link launch (what the course page frames). */
export function launchUrlFor(ctx: EmulatorContext, target: LaunchTarget): string {
  const link = ctx.state.getResourceLink(target.resourceLinkId);
  ctx.state.getUser(target.userId);
  const url = new URL(ctx.profile.paths.launch, ctx.baseUrl());
  url.searchParams.set('id', link.id);
  url.searchParams.set('user', target.userId);
  return url.href;
}

export function deepLinkingLaunchUrlFor(ctx: EmulatorContext, target: DeepLinkingTarget): string {
  ctx.state.getCourse(target.courseId);
  ctx.state.getUser(target.userId);
  ctx.state.getTool(target.clientId);
  const url = new URL(ctx.profile.paths.deepLinkingLaunch, ctx.baseUrl());
  url.searchParams.set('course', target.courseId);
  url.searchParams.set('user', target.userId);
  url.searchParams.set('client_id', target.clientId);
  return url.href;
}

export function coursePageUrlFor(ctx: EmulatorContext, input: { courseId: string; userId: string; resourceLinkId?: string; deepLinkingClientId?: string }): string {
  ctx.state.getCourse(input.courseId);
  ctx.state.getUser(input.userId);
  const url = new URL(`/course/${encodeURIComponent(input.courseId)}`, ctx.baseUrl());
  url.searchParams.set('user', input.userId);
  if (input.resourceLinkId) url.searchParams.set('rl', input.resourceLinkId);
  if (input.deepLinkingClientId) url.searchParams.set('dl', input.deepLinkingClientId);
  return url.href;
}
