import { Command, Help, type Argument, type Option } from 'commander';
import { helpText } from './i18n/help.js';
import { currentLanguage, type Language } from './i18n/index.js';
import type { HelpKey } from './i18n/help-en.js';
import { displayWidth } from './i18n/width.js';

/** Commander's section titles, and the catalogue key of each. */
const TITLES: Record<string, HelpKey> = {
  'Usage:': 'section.usage',
  'Arguments:': 'section.arguments',
  'Options:': 'section.options',
  'Global Options:': 'section.globalOptions',
  'Commands:': 'section.commands',
};

// Wrapping points for text without spaces: between two CJK characters, but never before closing
// punctuation (，。）…) nor after opening punctuation (（“…). For text without CJK characters a
// chunk is exactly commander's (spaces, then non-spaces), so English wraps as it always did.
const WIDE = '\\u1100-\\u115f\\u2e80-\\ua4cf\\uac00-\\ud7a3\\uf900-\\ufaff\\ufe30-\\ufe4f\\uff00-\\uff60\\uffe0-\\uffe6';
const OPEN = '（“‘「『《〈【';
const CLOSE = '，。、；：！？）”’」』》〉】';
const WIDE_CHAR = new RegExp(`[${WIDE}]`, 'u');
const CHUNK = new RegExp(`\\s*[${OPEN}]*(?:[^\\s${WIDE}]+|[${WIDE}])[${CLOSE}]*`, 'gu');

/**
 * Commander's help in the CLI's language: section titles and the "(default: …)" words come from
 * the catalogue, and widths count a Chinese character as the two columns it takes on a terminal
 * (commander counts string length, and wraps only at spaces, which Chinese has none of).
 */
export class LocalizedHelp extends Help {
  constructor(private readonly language: Language = currentLanguage()) {
    super();
  }

  override formatHelp(cmd: Command, helper: Help): string {
    // Commander puts a space after "Usage:"; after a full-width colon (用法：) it would be one too many.
    return super.formatHelp(cmd, helper).replace(/^(\S*：) /, '$1');
  }

  override styleTitle(title: string): string {
    const key = TITLES[title];
    return super.styleTitle(key ? helpText(key, this.language) : title);
  }

  override optionDescription(option: Option): string {
    const extra: string[] = [];
    if (option.argChoices) extra.push(choices(option.argChoices, this.language));
    const showDefault = option.required || option.optional || (option.isBoolean() && typeof option.defaultValue === 'boolean');
    if (option.defaultValue !== undefined && showDefault) extra.push(defaultValue(option, this.language));
    if (option.presetArg !== undefined && option.optional)
      extra.push(info('extra.preset', JSON.stringify(option.presetArg), this.language));
    if (option.envVar !== undefined) extra.push(info('extra.env', option.envVar, this.language));
    return withExtra(option.description, extra, this.language);
  }

  override argumentDescription(argument: Argument): string {
    const extra: string[] = [];
    if (argument.argChoices) extra.push(choices(argument.argChoices, this.language));
    if (argument.defaultValue !== undefined) extra.push(defaultValue(argument, this.language));
    return withExtra(argument.description, extra, this.language);
  }

  override displayWidth(text: string): number {
    // super strips colours; escape sequences hold no wide character, so add the wide ones' extra column.
    return super.displayWidth(text) + displayWidth(text) - [...text].length;
  }

  override boxWrap(text: string, width: number): string {
    if (width < this.minWidthToWrap) return text;
    return text
      .split(/\r\n|\n/)
      .map((line) => this.wrapLine(line, width))
      .join('\n');
  }

  private wrapLine(line: string, width: number): string {
    const chunks = line.match(CHUNK);
    if (!chunks) return '';
    // How far back a line may end early, at a better point than between two CJK characters
    // (which may be the middle of a word: 模|糊): a third of the width.
    const reach = Math.floor(width / 3);
    const lines: string[] = [];
    let current = [chunks.shift()!];
    for (const chunk of chunks) {
      if (this.displayWidth(current.join('') + chunk) <= width) {
        current.push(chunk);
        continue;
      }
      let at = current.length;
      if (!betterBreak(current[at - 1]!, chunk)) {
        for (let i = current.length - 1; i > 0 && this.displayWidth(current.slice(i).join('')) <= reach; i--) {
          if (betterBreak(current[i - 1]!, current[i]!)) {
            at = i;
            break;
          }
        }
      }
      lines.push(current.slice(0, at).join(''));
      current = [...current.slice(at), chunk];
      current[0] = current[0]!.trimStart();
    }
    return [...lines, current.join('')].join('\n');
  }
}

/**
 * Whether a line may end between `before` and `after` at a point no word spans: at a space, after
 * closing punctuation (，。）), before opening punctuation (（“), or where CJK meets Latin text.
 * Between two CJK characters it may be the middle of a word.
 */
function betterBreak(before: string, after: string): boolean {
  const last = [...before].at(-1) ?? '';
  const first = after[0] ?? '';
  return /^\s/.test(after) || CLOSE.includes(last) || OPEN.includes(first) || !WIDE_CHAR.test(last) || !WIDE_CHAR.test(first);
}

/**
 * `rambridge` and every command under it: each one's help is a LocalizedHelp in the language of
 * the moment the command was made, as its descriptions are (commander makes the Help only when
 * it prints it).
 */
export class RambridgeCommand extends Command {
  private readonly language = currentLanguage();

  override createCommand(name?: string): Command {
    return new RambridgeCommand(name);
  }

  override createHelp(): Help {
    return Object.assign(new LocalizedHelp(this.language), this.configureHelp());
  }
}

function info(key: HelpKey, value: string, language: Language): string {
  return `${helpText(key, language)}${helpText('extra.colon', language)}${value}`;
}

function choices(values: readonly string[], language: Language): string {
  return info('extra.choices', values.map((v) => JSON.stringify(v)).join(helpText('extra.separator', language)), language);
}

function defaultValue(item: Option | Argument, language: Language): string {
  return info('extra.default', item.defaultValueDescription || JSON.stringify(item.defaultValue), language);
}

function withExtra(description: string, extra: string[], language: Language): string {
  if (extra.length === 0) return description;
  // English opens with " (", Chinese with "（", which needs no space before it.
  const separator = helpText('extra.separator', language);
  const text = `${helpText('extra.open', language)}${extra.join(separator)}${helpText('extra.close', language)}`;
  return description ? `${description}${text}` : text.trimStart();
}
