import { Eta } from 'eta';
import { fileURLToPath } from 'node:url';
import type { PageData, PageName } from './pages.js';

/**
 * Server-rendered pages, typed by the page map in pages.ts. Eta escapes every `<%= %>` output; raw
 * output (`<%~`) is only used for the layout body.
 */
export interface Views {
  render<P extends PageName>(name: P, data: PageData<P>): string;
}

export const VIEWS_DIR = fileURLToPath(new URL('../../views', import.meta.url));

export function createViews(dir: string = VIEWS_DIR): Views {
  const eta = new Eta({ views: dir, autoEscape: true, cache: true, defaultExtension: '.eta' });
  return { render: (name, data) => eta.render(`./${name}`, data) };
}
