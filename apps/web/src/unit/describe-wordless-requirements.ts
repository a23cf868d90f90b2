/**
 * The one sentence that names a unit's evidence-requirement columns printed without wording
 * (decision 0025), so the page neither hides that the form has them nor lists them as something
 * to meet. Null when the unit has none.
 */
export function describeWordlessRequirements(refs: readonly string[], isForAssessor = false): string | null {
  if (refs.length === 0) return null;
  const columns = `${refs.length === 1 ? 'column' : 'columns'} ${refs.join(', ')}`;
  const wording = `${refs.length === 1 ? 'Its wording is' : 'Their wording is'} in the awarding body’s evidence requirements, which ${isForAssessor ? 'the' : 'your'} centre has not added to Attest yet, so ${refs.length === 1 ? 'it is' : 'they are'} not tracked here`;
  const advice = isForAssessor ? 'tell the learner if their evidence must show any of them.' : 'your assessor will tell you if your evidence must show any of them.';
  return `The unit’s recording form also has ${columns} for evidence requirements. ${wording}: ${advice}`;
}
