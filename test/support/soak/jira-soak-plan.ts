/** Who acts on our side of the sync: a customer filing issues, a staff member, or a support user. */
export type LocalActor = 'caller' | 'staff' | 'support';

/** One step of a soak run. Steps on our side go through the REST API; agent steps go through the fake. */
export type SoakOperation =
  | { kind: 'create-issue'; issue: number; caller: number }
  | { kind: 'local-comment'; issue: number; actor: LocalActor; isPublic: boolean; text: string }
  | { kind: 'local-attachment'; issue: number; actor: LocalActor; fileName: string; content: Buffer }
  | { kind: 'agent-comment'; issue: number; internal: boolean; text: string }
  | { kind: 'agent-attachment'; issue: number; fileName: string; content: Buffer }
  /** The `step`-th transition of the issue's planned walk through the workflow, to `target`. */
  | { kind: 'agent-transition'; issue: number; step: number; transition: string; target: string };

export interface SoakPlanOptions {
  issues: number;
  comments: number;
  seed: number;
  /** Number of customer accounts that file issues. */
  callers: number;
}

export interface SoakPlan {
  operations: SoakOperation[];
  /** Per issue, the status its planned transitions end in. */
  finalStatus: string[];
  /** Per issue, its summary (unique within the run). */
  summaries: string[];
}

/** The fake's Service Management workflow: status name to the transitions leaving it, with their targets. */
const WORKFLOW: Record<string, Array<[transition: string, target: string]>> = {
  Open: [
    ['Start progress', 'In Progress'],
    ['Resolve', 'Resolved'],
    ['Cancel request', 'Cancelled'],
  ],
  'In Progress': [
    ['Stop progress', 'Open'],
    ['Resolve', 'Resolved'],
    ['Cancel request', 'Cancelled'],
  ],
  Resolved: [
    ['Close', 'Closed'],
    ['Reopen', 'Open'],
  ],
  Cancelled: [
    ['Close', 'Closed'],
    ['Reopen', 'Open'],
  ],
  Closed: [['Reopen', 'Open']],
};

/** Seeded pseudo-random numbers in [0, 1) (mulberry32), so a seed replays the same plan. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = ['router', 'quota', 'login', 'backup', 'Überprüfung', 'disk', 'VPN', 'kernel', 'mail', 'queue', 'ticket', 'façade', 'node'];

/**
 * Plans a run: every issue is created first, then comments (both directions, public and
 * internal), attachments (both directions) and agent transitions follow at random points
 * after their issue's create. Texts and file names carry their index, so each one is
 * unique and the comparison can count them.
 */
export function planSoak(options: SoakPlanOptions): SoakPlan {
  const random = seededRandom(options.seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const words = (count: number) => Array.from({ length: count }, () => pick(WORDS)).join(' ');
  const timed: Array<{ at: number; operation: SoakOperation }> = [];
  const createdAt: number[] = [];
  const summaries: string[] = [];
  const finalStatus: string[] = [];
  const after = (issue: number) => createdAt[issue] + random() * (1 - createdAt[issue]);

  for (let issue = 0; issue < options.issues; issue += 1) {
    // Creates spread over the first 60 % of the run, so late issues still get activity.
    createdAt.push((issue / options.issues) * 0.6);
    summaries.push(`Soak ${options.seed}-${issue}: ${words(3)}`);
    timed.push({ at: createdAt[issue], operation: { kind: 'create-issue', issue, caller: issue % options.callers } });
  }

  for (let index = 0; index < options.comments; index += 1) {
    const issue = Math.floor(random() * options.issues);
    const text = `Comment ${options.seed}-${index} on ${issue}: ${words(2 + Math.floor(random() * 6))}`;
    const roll = random();
    let operation: SoakOperation;
    if (roll < 0.3) operation = { kind: 'local-comment', issue, actor: 'caller', isPublic: true, text };
    else if (roll < 0.42) operation = { kind: 'local-comment', issue, actor: 'staff', isPublic: true, text };
    else if (roll < 0.5) operation = { kind: 'local-comment', issue, actor: 'staff', isPublic: false, text };
    else if (roll < 0.58) operation = { kind: 'local-comment', issue, actor: 'support', isPublic: false, text };
    else operation = { kind: 'agent-comment', issue, internal: random() < 0.25, text };
    timed.push({ at: after(issue), operation });
  }

  const attachments = Math.max(1, Math.round(options.issues * 0.8));
  for (let index = 0; index < attachments; index += 1) {
    const issue = Math.floor(random() * options.issues);
    const size = 64 + Math.floor(random() * 20_000);
    const content = Buffer.alloc(size);
    for (let byte = 0; byte < size; byte += 1) content[byte] = Math.floor(random() * 256);
    const fileName = random() < 0.2 ? `Überprüfung-${options.seed}-${index}.log` : `soak-${options.seed}-${index}.bin`;
    const local = random() < 0.6;
    const operation: SoakOperation = local
      ? { kind: 'local-attachment', issue, actor: random() < 0.7 ? 'caller' : 'staff', fileName, content }
      : { kind: 'agent-attachment', issue, fileName, content };
    timed.push({ at: after(issue), operation });
  }

  for (let issue = 0; issue < options.issues; issue += 1) {
    let status = 'Open';
    const steps = Math.floor(random() * 4);
    let at = createdAt[issue];
    for (let step = 0; step < steps; step += 1) {
      const [transition, target] = pick(WORKFLOW[status]);
      at = at + random() * (1 - at) * 0.5;
      timed.push({ at, operation: { kind: 'agent-transition', issue, step, transition, target } });
      status = target;
    }
    finalStatus.push(status);
  }

  timed.sort((a, b) => a.at - b.at);
  return { operations: timed.map((entry) => entry.operation), finalStatus, summaries };
}
