import type { Locale, MessageKey, Translate } from '../i18n/keys';
import type { StepState, StepStatus } from '../workflow/core';
import { stagesOf, type WorkflowDefinition, type WorkflowStep } from '../workflow/definition';
import { escapeXml, wrap } from './svg';

/**
 * The route of a request drawn as SVG on the server: steps as boxes, stage under stage,
 * parallel steps side by side, each step's state in words (and in colour and line style),
 * who decided and when as visible text. Without an instance (a workflow version in the
 * administration) each box names its decider instead. The step list on the page stays: the
 * drawing is one image (role="img") whose <desc> sums the states up.
 */

export interface RouteDrawing {
  /** Unique on the page (ids of <title> and <desc>). */
  id: string;
  definition: WorkflowDefinition;
  /** The request's step states; absent on the workflow version page. */
  instance?: { steps: Record<string, StepStatus> };
  locale: Locale;
  t: Translate;
  /** uid → name of the people who decided. */
  names?: Record<string, string>;
  /** Date and time as running text (src/web/dates.ts momentText). */
  moment: (value: string | Date | undefined) => string;
}

interface Look {
  fill: string;
  stroke: string;
  width: number;
  dash?: string;
}

/** Colour is the third signal: the state is written in the box and its outline differs. */
const LOOKS: Record<StepState | 'plain', Look> = {
  approved: { fill: '#e3f1e6', stroke: '#1e7e34', width: 2 },
  open: { fill: '#e6eefc', stroke: '#0b57d0', width: 4 },
  waiting: { fill: '#f4f4f4', stroke: '#5c5c5c', width: 1.5, dash: '6 4' },
  skipped: { fill: '#ffffff', stroke: '#5c5c5c', width: 1.5, dash: '2 4' },
  returned: { fill: '#fff1e0', stroke: '#9a4d00', width: 3, dash: '10 3' },
  rejected: { fill: '#fde8e6', stroke: '#b3261e', width: 3 },
  plain: { fill: '#ffffff', stroke: '#5c5c5c', width: 1.5 },
};

const BOX_WIDTH = 290;
const GAP_X = 28;
const GAP_Y = 44;
const PAD = 10;
const LINE = 18;
const MARGIN = 12;
const WRAP = 34;

interface Box {
  step: WorkflowStep;
  state: StepState | undefined;
  lines: Array<{ text: string; bold?: boolean }>;
  x: number;
  y: number;
  height: number;
}

function deciderText(step: WorkflowStep, t: Translate): string {
  const who =
    step.decider.kind === 'unit_head'
      ? t('admin.workflows.decider.unitHead')
      : t(`role.${step.decider.role}` as MessageKey);
  return t('oversight.route.decider', { who });
}

function linesOf(step: WorkflowStep, input: RouteDrawing): Box['lines'] {
  const { t, locale, names = {}, moment } = input;
  const who = (uid: string) => names[uid] ?? uid;
  const lines: Box['lines'] = wrap(step.name[locale] || step.name.de, WRAP).map((text) => ({ text, bold: true }));
  const add = (text: string) => lines.push(...wrap(text, WRAP).map((l) => ({ text: l })));
  if (!input.instance) {
    add(deciderText(step, t));
    if (step.when) add(t('oversight.route.when', { fields: step.when.changedFieldsAny.join(', ') }));
    if (step.publishes) add(t('oversight.route.publishes'));
    return lines;
  }
  const status = input.instance.steps[step.id] ?? { state: 'waiting' as const };
  add(t('oversight.route.state', { state: t(`requests.step.${status.state}` as MessageKey) }));
  if (status.decidedBy) {
    add(
      status.onBehalfOf
        ? t('oversight.route.byOnBehalf', { name: who(status.decidedBy), principal: who(status.onBehalfOf) })
        : t('oversight.route.by', { name: who(status.decidedBy) }),
    );
    if (status.decidedAt) add(t('oversight.route.at', { date: moment(status.decidedAt) }));
  } else if (status.state === 'open' && status.openedAt) {
    add(t('oversight.route.since', { date: moment(status.openedAt) }));
  } else if (status.state === 'skipped' && step.when) {
    add(t('oversight.route.skippedWhy', { fields: step.when.changedFieldsAny.join(', ') }));
  }
  return lines;
}

function arrow(x1: number, y1: number, x2: number, y2: number): string {
  const len = Math.hypot(x2 - x1, y2 - y1) || 1;
  const ux = (x2 - x1) / len;
  const uy = (y2 - y1) / len;
  const bx = x2 - ux * 10;
  const by = y2 - uy * 10;
  const head = [
    [x2, y2],
    [bx - uy * 5, by + ux * 5],
    [bx + uy * 5, by - ux * 5],
  ]
    .map(([x, y]) => `${n(x!)},${n(y!)}`)
    .join(' ');
  return `<line x1="${n(x1)}" y1="${n(y1)}" x2="${n(bx)}" y2="${n(by)}" stroke="#3d3d3d" stroke-width="1.5"/><polygon points="${head}" fill="#3d3d3d"/>`;
}

const n = (v: number) => String(Math.round(v * 10) / 10);

/** The summary for screen readers: each step with its state. */
function description(boxes: Box[], input: RouteDrawing): string {
  const { t, locale } = input;
  const parts = boxes.map((b) =>
    b.state
      ? t('oversight.route.descStep', {
          step: b.step.name[locale] || b.step.name.de,
          state: t(`requests.step.${b.state}` as MessageKey),
        })
      : b.step.name[locale] || b.step.name.de,
  );
  return t('oversight.route.desc', { count: boxes.length, steps: parts.join('; ') });
}

export function drawRoute(input: RouteDrawing): string {
  const stages = stagesOf(input.definition);
  const columns = Math.max(1, ...stages.map((s) => s.length));
  const width = MARGIN * 2 + columns * BOX_WIDTH + (columns - 1) * GAP_X;
  const boxes: Box[] = [];
  let y = MARGIN;
  for (const stage of stages) {
    const rowLines = stage.map((step) => linesOf(step, input));
    const height = PAD * 2 + Math.max(...rowLines.map((l) => l.length)) * LINE;
    const rowWidth = stage.length * BOX_WIDTH + (stage.length - 1) * GAP_X;
    let x = (width - rowWidth) / 2;
    stage.forEach((step, i) => {
      const state = input.instance ? (input.instance.steps[step.id]?.state ?? 'waiting') : undefined;
      boxes.push({ step, state, lines: rowLines[i]!, x, y, height });
      x += BOX_WIDTH + GAP_X;
    });
    y += height + GAP_Y;
  }
  const height = y - GAP_Y + MARGIN;
  const byId = new Map(boxes.map((b) => [b.step.id, b]));
  let edges = '';
  for (const b of boxes)
    for (const dep of b.step.after) {
      const from = byId.get(dep);
      if (from) edges += arrow(from.x + BOX_WIDTH / 2, from.y + from.height, b.x + BOX_WIDTH / 2, b.y - 2);
    }
  let body = '';
  for (const b of boxes) {
    const look = LOOKS[b.state ?? 'plain'];
    body += `<g class="route__step route__step--${b.state ?? 'plain'}">`;
    body +=
      `<rect x="${n(b.x)}" y="${n(b.y)}" width="${BOX_WIDTH}" height="${n(b.height)}" rx="6" fill="${look.fill}" ` +
      `stroke="${look.stroke}" stroke-width="${look.width}"${look.dash ? ` stroke-dasharray="${look.dash}"` : ''}/>`;
    b.lines.forEach((line, i) => {
      body += `<text x="${n(b.x + PAD)}" y="${n(b.y + PAD + 13 + i * LINE)}"${line.bold ? ' font-weight="600"' : ''}>${escapeXml(line.text)}</text>`;
    });
    body += '</g>';
  }
  const title = input.t('oversight.route.title', {
    name: input.definition.name[input.locale] || input.definition.name.de,
  });
  const tid = `${input.id}-titel`;
  const did = `${input.id}-beschreibung`;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" class="route" id="${escapeXml(input.id)}" role="img" ` +
    `aria-labelledby="${escapeXml(tid)} ${escapeXml(did)}" viewBox="0 0 ${n(width)} ${n(height)}" width="${n(width)}" ` +
    `height="${n(height)}" font-family="Fira Sans, Arial, sans-serif" font-size="14" fill="#1b1b1b">` +
    `<title id="${escapeXml(tid)}">${escapeXml(title)}</title><desc id="${escapeXml(did)}">${escapeXml(description(boxes, input))}</desc>` +
    `${edges}${body}</svg>`
  );
}
