// Canvas installs ("deployments"): each time an administrator or teacher installs a registered tool
// in an account, a sub-account or a course, Canvas makes a new ContextExternalTool with its own
// deployment_id; a launch carries the deployment of the install nearest the course (course, then
// its sub-account, then the root account). Sources: app/models/lti/registration.rb #new_external_tool
// (called per context by #create in app/controllers/lti/ims/dynamic_registration_controller.rb for the
// root account); the deployment id format "<tool id>:<context lti id>" is the one Canvas's docs show
// ("deployment_id": "1:abc123def456"). ContextExternalTool.find_external_tool's nearest-context search
// (app/models/context_external_tool.rb) was not read here: this follows Canvas's documented behaviour
// that a course-level install wins over an account-level one.
import { createHash } from 'node:crypto';
import type { Course, ToolInstall, ToolInstallContext } from '../types.ts';

export class CanvasInstalls {
  readonly #installs: ToolInstall[] = [];
  // Tool ids of installs after the registration's own: far from the registrations' type ids.
  #nextToolId = 1001;

  /** A new install: always a new deployment id, even in a context that has one (Canvas allows several). */
  install(clientId: string, context: ToolInstallContext): ToolInstall {
    const toolId = this.#nextToolId++;
    const contextKey = context.type === 'account' ? 'account-1' : context.type === 'subAccount' ? `account-${context.subAccountId}` : `course-${context.courseId}`;
    const install: ToolInstall = { deploymentId: `${toolId}:${createHash('sha1').update(contextKey).digest('hex')}`, clientId, context };
    this.#installs.push(install);
    return install;
  }

  list(clientId: string): readonly ToolInstall[] {
    return this.#installs.filter((install) => install.clientId === clientId);
  }

  /** What a saved emulator keeps of the installs (src/emulator-snapshot.ts). */
  toSaved(): { readonly installs: readonly ToolInstall[]; readonly nextToolId: number } {
    return { installs: this.#installs.map((install) => ({ ...install })), nextToolId: this.#nextToolId };
  }

  static fromSaved(saved: { readonly installs: readonly ToolInstall[]; readonly nextToolId: number }): CanvasInstalls {
    const restored = new CanvasInstalls();
    restored.#installs.push(...saved.installs.map((install) => ({ ...install })));
    restored.#nextToolId = saved.nextToolId;
    return restored;
  }

  /** The deployment a launch in this course carries, nearest first; the latest install in a context wins. */
  nearest(clientId: string, course: Course): string | null {
    const mine = this.list(clientId).slice().reverse();
    const inCourse = mine.find((i) => i.context.type === 'course' && i.context.courseId === course.id);
    const inSubAccount = course.subAccountId === undefined ? undefined : mine.find((i) => i.context.type === 'subAccount' && i.context.subAccountId === course.subAccountId);
    const inAccount = mine.find((i) => i.context.type === 'account');
    return (inCourse ?? inSubAccount ?? inAccount)?.deploymentId ?? null;
  }
}
