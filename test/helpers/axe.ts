import axe from 'axe-core';
import type { AxeResults, ImpactValue, Result } from 'axe-core';
import type { Page } from 'playwright-core';

/**
 * axe-core run inside a real page. The bridge's strict CSP forbids the injected script, so the
 * page's context must be created with `bypassCSP: true` (see `AXE_CONTEXT`); the page's own
 * scripts still run as they would for a user.
 */

/** Context options every audited page needs: the injected axe script is not in the CSP. */
export const AXE_CONTEXT = { bypassCSP: true } as const;

/** The impacts a page must not have: serious and critical block people; moderate/minor are reported elsewhere. */
const BLOCKING: ReadonlySet<ImpactValue> = new Set<ImpactValue>(['serious', 'critical']);

/** One blocking violation, enough to fix it without re-running axe by hand. */
export interface AxeProblem {
  rule: string;
  impact: ImpactValue;
  help: string;
  helpUrl: string;
  /** Each offending element: its selector and axe's explanation (e.g. the measured contrast ratio). */
  nodes: Array<{ target: string; summary: string }>;
}

/**
 * The page's serious and critical violations of WCAG 2.x A/AA and axe's best practices, as plain
 * data (empty when the page passes). `exclude` takes selectors of content that is not the page's
 * own (none so far).
 */
export async function axeProblems(page: Page, options: { exclude?: string[] } = {}): Promise<AxeProblem[]> {
  const present = await page.evaluate(() => 'axe' in globalThis);
  if (!present) await page.addScriptTag({ content: axe.source });
  const results = await page.evaluate(
    async ({ exclude }) => {
      const w = globalThis as unknown as { axe: { run: (ctx: unknown, opts: unknown) => Promise<AxeResults> } };
      return w.axe.run(
        { include: [['html']], exclude: exclude.map((s) => [s]) },
        { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] } },
      );
    },
    { exclude: options.exclude ?? [] },
  );
  return results.violations.filter((v) => v.impact && BLOCKING.has(v.impact)).map(toProblem);
}

function toProblem(v: Result): AxeProblem {
  return {
    rule: v.id,
    impact: v.impact!,
    help: v.help,
    helpUrl: v.helpUrl,
    nodes: v.nodes.map((n) => ({
      target: n.target.map(String).join(' '),
      summary: (n.failureSummary ?? '').replace(/\s+/g, ' ').trim(),
    })),
  };
}

/** The problems as lines a test failure can show: `rule (impact): help` then each element and why. */
export function describeAxeProblems(problems: readonly AxeProblem[]): string[] {
  return problems.flatMap((p) => [
    `${p.rule} (${p.impact}): ${p.help} — ${p.helpUrl}`,
    ...p.nodes.map((n) => `    ${n.target}: ${n.summary}`),
  ]);
}
