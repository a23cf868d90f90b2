import type { WitnessListEntry } from '@attest/contracts';

/** Seed 004's witness status list, as the server derives it from the signed witness records. */
export function WitnessList({ witnesses }: { witnesses: readonly WitnessListEntry[] }) {
  if (witnesses.length === 0) return <p>No signed witness testimony yet.</p>;
  return (
    <ul className="card-list">
      {witnesses.map((witness, index) => (
        <li key={`${witness.name}-${index}`} className="card">
          <h4 className="card-title">
            {witness.name}
            {witness.isExpertWitness ? ' (expert witness)' : ''}
          </h4>
          <dl className="record-facts">
            <div>
              <dt>Position</dt>
              <dd>{witness.position}</dd>
            </div>
            <div>
              <dt>Relationship</dt>
              <dd>{witness.relationshipToCandidate}</dd>
            </div>
            <div>
              <dt>Contact</dt>
              <dd>{witness.contact}</dd>
            </div>
            <div>
              <dt>Witness status</dt>
              <dd>
                {witness.status}: {witness.statusText}
              </dd>
            </div>
            <div>
              <dt>Units witnessed</dt>
              <dd>{witness.unitsWitnessed.join(', ')}</dd>
            </div>
          </dl>
        </li>
      ))}
    </ul>
  );
}
