import { Eta } from 'eta';
import { fileURLToPath } from 'node:url';

/** Server-rendered pages. Eta escapes every `<%= %>` output; raw output (`<%~`) is only used for the layout body. */
export interface Views {
  render(name: string, data: Record<string, unknown>): string;
}

export const VIEWS_DIR = fileURLToPath(new URL('../../views', import.meta.url));

export function createViews(dir: string = VIEWS_DIR): Views {
  const eta = new Eta({ views: dir, autoEscape: true, cache: true, defaultExtension: '.eta' });
  return { render: (name, data) => eta.render(`./${name}`, data) };
}
