import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { BridgeError, ERROR_STATUS, type ErrorCode } from '../../../src/errors.js';
import { errorText, findSentence } from '../../../src/web/i18n/error-text.js';

/**
 * Every sentence a BridgeError of src/ can show (its userMessage and hint, and the generic message
 * of each status) has a catalogue entry, so a Chinese page never falls back to English. The
 * sentences are read out of the source with the TypeScript parser: string literals, templates (their
 * `${…}` standing for any value), both arms of `?:` and `??`, `+` concatenations, and the constants
 * and lookup tables (`USER_MESSAGES[code]`) they name in the same file.
 */
const SRC = new URL('../../../src/', import.meta.url).pathname;
// The CLI has its own catalogues; the emulator and dev IdP are test doubles; web/i18n translates.
const SKIP = ['cli/', 'emulator/', 'devidp/', 'web/i18n/'];
const ANY = '\u0001';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return SKIP.includes(`${relative(SRC, path)}/`) ? [] : sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

interface Found {
  file: string;
  kind: 'message' | 'hint';
  text: string;
}

function sentencesIn(file: string): Found[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const constants = new Map<string, ts.Expression>();
  const visitConstants = (node: ts.Node) => {
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer) constants.set(node.name.text, node.initializer);
    ts.forEachChild(node, visitConstants);
  };
  visitConstants(source);

  const values = (expr: ts.Expression): string[] => {
    if (ts.isStringLiteral(expr) || ts.isNoSubstitutionTemplateLiteral(expr)) return [expr.text];
    if (ts.isParenthesizedExpression(expr) || ts.isAsExpression(expr)) return values(expr.expression);
    if (ts.isTemplateExpression(expr)) return [expr.head.text + expr.templateSpans.map((s) => ANY + s.literal.text).join('')];
    if (ts.isConditionalExpression(expr)) return [...values(expr.whenTrue), ...values(expr.whenFalse)];
    if (ts.isBinaryExpression(expr) && expr.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken)
      return [...values(expr.left), ...values(expr.right)];
    if (ts.isBinaryExpression(expr) && expr.operatorToken.kind === ts.SyntaxKind.PlusToken)
      return values(expr.left).flatMap((l) => values(expr.right).map((r) => l + r));
    if (ts.isIdentifier(expr)) {
      if (expr.text === 'undefined') return [];
      const constant = constants.get(expr.text);
      if (constant) return values(constant);
      throw new Error(`${relative(SRC, file)}: cannot read the sentence in ${expr.text}`);
    }
    if (ts.isElementAccessExpression(expr) && ts.isIdentifier(expr.expression)) {
      const table = constants.get(expr.expression.text);
      if (table && ts.isObjectLiteralExpression(table))
        return table.properties.flatMap((p) => (ts.isPropertyAssignment(p) ? values(p.initializer) : []));
    }
    throw new Error(`${relative(SRC, file)}:${source.getLineAndCharacterOfPosition(expr.pos).line + 1}: cannot read ${expr.getText()}`);
  };

  const found: Found[] = [];
  const visit = (node: ts.Node) => {
    // The options of `new BridgeError(code, {…})` and `samlRefusal(code, detail, {…})`.
    if ((ts.isNewExpression(node) || ts.isCallExpression(node)) && ts.isIdentifier(node.expression)) {
      if (['BridgeError', 'samlRefusal'].includes(node.expression.text))
        for (const arg of node.arguments ?? [])
          if (ts.isObjectLiteralExpression(arg))
            for (const p of arg.properties)
              if (ts.isPropertyAssignment(p) && ts.isIdentifier(p.name) && ['userMessage', 'hint'].includes(p.name.text))
                for (const text of values(p.initializer)) found.push({ file, kind: p.name.text === 'hint' ? 'hint' : 'message', text });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

const SENTENCES = sourceFiles(SRC).flatMap(sentencesIn);
const sample = (text: string) => text.split(ANY).join('X1');

test('the scan finds the sentences of src/ (a broken scan would pass everything)', () => {
  expect(SENTENCES.length).toBeGreaterThan(80);
  expect(SENTENCES.map((s) => s.text)).toEqual(
    expect.arrayContaining([
      'This form has expired or was not sent by rambridge.',
      `${ANY} could not be reached.`,
      'Alibaba Cloud refused to issue credentials for this role.',
      'You may not be assigned to rambridge at your identity provider.',
    ]),
  );
});

test.each(SENTENCES.map((s) => [relative(SRC, s.file), s.kind, s.text] as const))(
  '%s: the %s %j has a catalogue entry',
  (_file, kind, text) => {
    expect(findSentence(kind, sample(text))).toBeDefined();
  },
);

test.each([...new Set(Object.values(ERROR_STATUS))])('the generic message of status %i has a catalogue entry', (status) => {
  const code = (Object.keys(ERROR_STATUS) as ErrorCode[]).find((c) => ERROR_STATUS[c] === status)!;
  expect(findSentence('message', new BridgeError(code, { expose: true }).userMessage)).toBeDefined();
});

describe('error texts in zh-CN', () => {
  test('values in a sentence are carried over: an IdP name, a duration in the page language', () => {
    const unreachable = new BridgeError('ERR_IDP_UNREACHABLE', { userMessage: 'Backup SSO could not be reached.' });
    expect(errorText(unreachable, 'zh-CN').message).toBe('无法连接 Backup SSO。');
    const duration = new BridgeError('ERR_DURATION_INVALID', { userMessage: 'Choose a session length between 15 min and 1 h 30 min.' });
    expect(errorText(duration, 'zh-CN').message).toBe('请选择 15 分钟到 1 小时 30 分钟之间的会话时长。');
    const sts = new BridgeError('ERR_STS_THROTTLED', {
      userMessage: 'Alibaba Cloud is limiting credential requests right now. Please try again shortly.',
      hint: 'Alibaba Cloud STS answered Throttling.User (RequestId R-1).',
    });
    expect(errorText(sts, 'zh-CN')).toEqual({
      message: '阿里云目前正在限制凭证请求。请稍后重试。',
      hint: '阿里云 STS 返回 Throttling.User（RequestId R-1）。',
    });
  });

  test('lists are joined with 、 and qualified in full-width brackets', () => {
    const unknown = new BridgeError('ERR_CONSOLE_SERVICE_UNKNOWN', {
      userMessage: 'rambridge has no console page for "ecs" in xx-nowhere.',
      hint: 'Known services: ecs (cn-hangzhou), oss (cn-hangzhou), ram, actiontrail (cn-hangzhou).',
    });
    expect(errorText(unknown, 'zh-CN').hint).toBe('可用的服务：ecs（cn-hangzhou）、oss（cn-hangzhou）、ram、actiontrail（cn-hangzhou）。');
    expect(errorText(unknown, 'en').hint).toBe('Known services: ecs (cn-hangzhou), oss (cn-hangzhou), ram, actiontrail (cn-hangzhou).');
    const several = new BridgeError('ERR_BAD_REQUEST', { userMessage: '"prod" names several of your roles: prod-ops, prod-readonly.' });
    expect(errorText(several, 'zh-CN').message).toBe('“prod”对应你的多个角色：prod-ops、prod-readonly。');
  });

  test('the most specific entry wins over one with a placeholder', () => {
    const generic = new BridgeError('ERR_AUTH_NOT_REAUTHENTICATED', {
      userMessage: 'Your identity provider signed you in without asking for your credentials again, as rambridge requires here.',
    });
    expect(errorText(generic, 'zh-CN').message).toMatch(/^你的身份提供商/);
  });

  test('English stays word for word what the code says', () => {
    for (const { kind, text } of SENTENCES) {
      const err = new BridgeError('ERR_BAD_REQUEST', kind === 'message' ? { userMessage: sample(text) } : { hint: sample(text) });
      expect(errorText(err, 'en')[kind]).toBe(sample(text));
    }
  });
});
