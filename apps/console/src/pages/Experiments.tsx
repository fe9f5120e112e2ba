import {
  ConsoleCreateExperimentDocument,
  ConsoleExperimentsDocument,
  ConsoleStartExperimentDocument,
  ConsoleStopExperimentDocument,
  type BanditPolicy,
  type ExperimentAllocation,
  type ExperimentArmInput,
  type ExperimentMetric,
  type RecommendationSlot,
} from '@serendip/client';
import { useState, type FormEvent } from 'react';
import { client } from '../api';
import { describeError, useQuery } from '@serendip/app-kit';
import { dateTime, field, percent } from '../hooks';

const SLOTS: readonly RecommendationSlot[] = ['HOME', 'PRODUCT', 'CART'];
const POLICIES: readonly BanditPolicy[] = ['THOMPSON', 'LINUCB', 'EPSILON_GREEDY'];
const ALLOCATIONS: readonly ExperimentAllocation[] = ['FIXED', 'ADAPTIVE'];
const METRICS: readonly ExperimentMetric[] = ['CTR', 'CONVERSION', 'REVENUE_PER_SHOPPER'];
const MAX_ARMS = 8;

export function Experiments() {
  const experiments = useQuery(() => client.request(ConsoleExperimentsDocument), []);
  const [error, setError] = useState<string | null>(null);
  const act = async (change: () => Promise<unknown>) => {
    setError(null);
    try {
      await change();
      experiments.reload();
    } catch (caught) {
      setError(describeError(caught));
    }
  };
  return (
    <>
      <section>
        <h1>Experiments</h1>
        {experiments.error && <p className="error">{experiments.error}</p>}
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        {experiments.data?.experiments.length === 0 && <p className="muted">No experiments yet: define one below.</p>}
        <div className="scroll">
          <table data-testid="experiments">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Slot</th>
                <th scope="col">Status</th>
                <th scope="col">Arms</th>
                <th scope="col">Metric</th>
                <th scope="col">Started</th>
                <th scope="col" />
              </tr>
            </thead>
            <tbody>
              {experiments.data?.experiments.map((experiment) => (
                <tr key={experiment.id}>
                  <th scope="row">
                    <a href={`#/experiments/${experiment.id}`}>{experiment.name}</a>
                  </th>
                  <td>{experiment.slot}</td>
                  <td>
                    <span className={`status status-${experiment.status.toLowerCase()}`}>{experiment.status}</span>
                  </td>
                  <td>{experiment.arms.map((arm) => `${arm.name} (${percent(arm.share, 0)})`).join(', ')}</td>
                  <td>{experiment.primaryMetric}</td>
                  <td>{dateTime(experiment.startedAt)}</td>
                  <td>
                    {experiment.status === 'DRAFT' && (
                      <button type="button" onClick={() => void act(() => client.request(ConsoleStartExperimentDocument, { id: experiment.id }))}>
                        Start {experiment.name}
                      </button>
                    )}
                    {experiment.status === 'RUNNING' && (
                      <button
                        type="button"
                        className="danger"
                        onClick={() => void act(() => client.request(ConsoleStopExperimentDocument, { id: experiment.id }))}
                      >
                        Stop {experiment.name}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
      <CreateExperiment onCreated={experiments.reload} />
    </>
  );
}

interface ArmDraft {
  key: number;
}

/** Reads a number field; blank is "not given" (the server's default). */
function optionalNumber(form: FormData, name: string): number | undefined {
  const text = field(form, name);
  return text === '' ? undefined : Number(text);
}

function CreateExperiment({ onCreated }: { onCreated: () => void }) {
  const [arms, setArms] = useState<ArmDraft[]>([{ key: 0 }, { key: 1 }]);
  const [nextKey, setNextKey] = useState(2);
  const [error, setError] = useState<string | null>(null);
  const [created, setCreated] = useState<string | null>(null);
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    // The selects offer only the enums' members, so their values are those types.
    const armInputs: ExperimentArmInput[] = arms.map(({ key }) => {
      const diversity = optionalNumber(form, `arm-${key}-diversity`);
      const share = optionalNumber(form, `arm-${key}-share`);
      const version = field(form, `arm-${key}-version`);
      return {
        name: field(form, `arm-${key}-name`),
        policy: field(form, `arm-${key}-policy`) as BanditPolicy,
        exploration: Number(field(form, `arm-${key}-exploration`)),
        ...(diversity !== undefined && { diversity }),
        ...(share !== undefined && { share }),
        ...(version !== '' && { sequenceModelVersion: version }),
      };
    });
    const targetSegment = optionalNumber(form, 'targetSegment');
    setError(null);
    setCreated(null);
    try {
      const { createExperiment } = await client.request(ConsoleCreateExperimentDocument, {
        input: {
          name: field(form, 'name'),
          slot: field(form, 'slot') as RecommendationSlot,
          allocation: field(form, 'allocation') as ExperimentAllocation,
          primaryMetric: field(form, 'primaryMetric') as ExperimentMetric,
          arms: armInputs,
          ...(targetSegment !== undefined && { targetSegment }),
        },
      });
      setCreated(createExperiment.name);
      formElement.reset();
      onCreated();
    } catch (caught) {
      setError(describeError(caught));
    }
  };
  return (
    <section>
      <h2>New experiment</h2>
      <form className="wide" aria-label="new experiment" onSubmit={(event) => void submit(event)}>
        <div className="row">
          <label>
            Name
            <input name="name" required maxLength={100} />
          </label>
          <label>
            Slot
            <select name="slot" defaultValue="HOME">
              {SLOTS.map((slot) => (
                <option key={slot}>{slot}</option>
              ))}
            </select>
          </label>
          <label>
            Allocation
            <select name="allocation" defaultValue="FIXED">
              {ALLOCATIONS.map((allocation) => (
                <option key={allocation}>{allocation}</option>
              ))}
            </select>
          </label>
          <label>
            Primary metric
            <select name="primaryMetric" defaultValue="CTR">
              {METRICS.map((metric) => (
                <option key={metric}>{metric}</option>
              ))}
            </select>
          </label>
          <label>
            Target segment
            <input name="targetSegment" type="number" min={0} step={1} placeholder="everyone" />
          </label>
        </div>
        <fieldset>
          <legend>Arms (the first is the control)</legend>
          {arms.map(({ key }, position) => (
            <div className="row arm" key={key}>
              <label>
                Arm {position + 1} name
                <input name={`arm-${key}-name`} required maxLength={40} defaultValue={position === 0 ? 'control' : ''} />
              </label>
              <label>
                Arm {position + 1} policy
                <select name={`arm-${key}-policy`} defaultValue="THOMPSON">
                  {POLICIES.map((policy) => (
                    <option key={policy}>{policy}</option>
                  ))}
                </select>
              </label>
              <label>
                Arm {position + 1} exploration
                <input name={`arm-${key}-exploration`} type="number" min={0} max={1} step={0.05} required defaultValue={0.1} />
              </label>
              <label>
                Arm {position + 1} diversity
                <input name={`arm-${key}-diversity`} type="number" min={0} max={1} step={0.05} placeholder="0.8" />
              </label>
              <label>
                Arm {position + 1} traffic share
                <input name={`arm-${key}-share`} type="number" min={0} step={0.05} placeholder="equal" />
              </label>
              <label>
                Arm {position + 1} model version
                <input name={`arm-${key}-version`} placeholder="serving" />
              </label>
              {arms.length > 2 && (
                <button type="button" onClick={() => setArms(arms.filter((arm) => arm.key !== key))}>
                  Remove arm {position + 1}
                </button>
              )}
            </div>
          ))}
          {arms.length < MAX_ARMS && (
            <button
              type="button"
              onClick={() => {
                setArms([...arms, { key: nextKey }]);
                setNextKey(nextKey + 1);
              }}
            >
              Add arm
            </button>
          )}
        </fieldset>
        <button type="submit">Create experiment</button>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        {created && <p role="status">Created {created} (draft): start it from the list above.</p>}
      </form>
    </section>
  );
}
