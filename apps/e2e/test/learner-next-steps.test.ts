import { AssessorEvidenceItemSchema, AssessorPortfolioSchema, AssessorRecordSchema, EvidenceItemSchema } from '@attest/contracts';
import { launchToolApi, readyLearnerAssessment, seedLearnerEvidence } from '@attest/demo';
import { describe, expect, it } from 'vitest';
import { checkScreen } from '../src/check-screen.ts';
import { useBrowser, useBrowserStack } from '../src/fixtures.ts';
import { getUnit } from '../src/get-unit.ts';
import { ltiFrameSelector, openCoursePage } from '../src/open-course-page.ts';
import { UI_WAIT_MS } from '../src/patience.ts';

// Issue 12: the learner always knows the next step. The "What to do next" list of four learners of
// one course, each in another state — fresh, with a draft, with referred evidence, ready to declare —
// as each sees it in their own launch, in both emulator modes. The states are reached through the
// tool's API, each side as its own browser would (the demo's seeding helpers).

const unit = getUnit('nvq2-cs-201');
const today = new Date().toISOString().slice(0, 10);
const assessment = readyLearnerAssessment(unit.id, today);
const [learnerItem] = assessment.evidence;
if (!learnerItem) throw new Error('the demo has no evidence for a learner');
const firstStatement = unit.groups[0]?.statements[0];
if (!firstStatement) throw new Error(`unit ${unit.id} has no statements`);
const browser = useBrowser();

describe.each(['moodle', 'canvas'] as const)('the learner’s next steps (%s)', (mode) => {
  const lms = useBrowserStack(browser, { mode, backend: 'pglite' });

  it('tells a fresh learner, one with a draft, one with referred evidence and one ready to declare what to do next, in words', { timeout: 600_000 }, async () => {
    const { emulator, tool: toolServer } = lms;
    const course = lms.createCourse({ assessors: ['Alex Assessor'], learners: ['Fay Fresh', 'Dan Draft', 'Rae Referred', 'Dee Declare'], units: [unit] });
    const {
      assessors: [assessor],
      learners: [fresh, drafting, referred, declaring],
      links: [link],
    } = course;
    const courseId = course.course.id;
    const launchAs = async (userId: string) => (await launchToolApi(emulator.launchUrl({ courseId, userId, resourceLinkId: link.id }), toolServer.url)).api;

    // A draft mapped to two statements, never submitted.
    const draftApi = await launchAs(drafting.id);
    const draft = await draftApi.post('/api/evidence', learnerItem.draft, EvidenceItemSchema);
    await draftApi.put(`/api/evidence/${draft.id}/mappings`, { baseVersion: draft.version, mappings: learnerItem.mappings.slice(0, 2) }, EvidenceItemSchema);

    // Submitted evidence the assessor referred back, with feedback.
    await seedLearnerEvidence({ emulator, toolUrl: toolServer.url, courseId, learnerId: referred.id, resourceLinkId: link.id, otherResourceLinkIds: [], evidence: [learnerItem] });
    const assessorApi = await launchAs(assessor.id);
    const referredPortfolio = await assessorApi.get(`/api/assessor/learners/${referred.id}/portfolio`, AssessorPortfolioSchema);
    const toRefer = referredPortfolio.items[0];
    if (!toRefer) throw new Error('the referred learner has no item');
    await assessorApi.put(
      `/api/assessor/evidence/${toRefer.id}/judgement`,
      { baseVersion: toRefer.judgementVersion, itemVersion: toRefer.version, mappings: toRefer.mappings.map(({ unitId, target, ref, method }) => ({ unitId, target, ref, decision: 'referred', method, feedback: 'Say what you said to the customer and what they did next.' })) },
      AssessorEvidenceItemSchema,
    );

    // Every statement evidenced (the learner's two items and the assessor's signed observation), no declaration yet.
    const mapped = new Set(learnerItem.mappings.map((m) => m.ref));
    const rest = unit.groups.flatMap((group) => group.statements.map((statement) => statement.ref)).filter((ref) => !mapped.has(ref));
    const secondItem = { ...learnerItem, draft: { ...learnerItem.draft, title: 'Calming a customer whose order was late' }, mappings: rest.map((ref) => ({ unitId: unit.id, target: 'statement' as const, ref })) };
    await seedLearnerEvidence({ emulator, toolUrl: toolServer.url, courseId, learnerId: declaring.id, resourceLinkId: link.id, otherResourceLinkIds: [], evidence: [learnerItem, secondItem] });
    for (const record of assessment.records) await assessorApi.post(`/api/assessor/learners/${declaring.id}/records`, { content: record.content, targets: record.targets, sign: true, supersedes: null }, AssessorRecordSchema);

    const stepsOf = async (learner: typeof fresh, screenshot: string) => {
      const page = await lms.newPage();
      const { frame, tool } = await openCoursePage(page, course.pageUrl(learner, link));
      const list = tool.getByRole('heading', { name: 'What to do next' }).locator('xpath=following-sibling::*[1]');
      await list.waitFor({ timeout: UI_WAIT_MS });
      const steps = (await list.getByRole('listitem').allTextContents()).map((text) => text.replace(/\s+/g, ' ').trim());
      const report = await checkScreen(page, frame, ltiFrameSelector, `learner-next-steps-${screenshot}-${mode}`);
      expect(report.violations, report.violations.join('\n')).toEqual([]);
      expect(report.overflowAt375).toBe(0);
      await page.close();
      return steps;
    };

    const freshSteps = await stepsOf(fresh, 'fresh');
    expect(freshSteps[0]).toContain(`Add evidence for Standard ${firstStatement.ref} “${firstStatement.text}`);

    const draftSteps = await stepsOf(drafting, 'draft');
    expect(draftSteps[0]).toMatch(new RegExp(`^Submit your draft E1 “${learnerItem.draft.title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}” \\(it is the only evidence for 2 statements\\): until you submit it, your assessor cannot see it\\.`));

    const referredSteps = await stepsOf(referred, 'referred');
    expect(referredSteps[0]).toContain(`Reply to your assessor on E1 “${learnerItem.draft.title}”: they referred it back.`);
    expect(referredSteps.join(' ')).not.toContain('Waiting for your assessor');

    const declareSteps = await stepsOf(declaring, 'declare');
    expect(declareSteps).toContain('Sign your declaration that the evidence is your own work, so your assessor can assess the unit.');
    expect(declareSteps.join(' ')).not.toContain('Add evidence for');

    // No step on any screen names an internal id.
    for (const text of [...freshSteps, ...draftSteps, ...referredSteps, ...declareSteps]) expect(text).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-|\b(pc|k):\d/);
  });
});
