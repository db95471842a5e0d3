import { execFileSync } from 'node:child_process';
import { shellQuote } from '../../src/shell-quote.js';

test('shellQuote: sh reads back exactly the value, whatever it holds', () => {
  const values = ['STS.plain', '', "it's", 'a b', '$HOME `id` $(id) \\ "x"', 'line\nbreak', "''"];
  const script = values.map((v) => `printf '%s\\0' ${shellQuote(v)}`).join('; ');
  expect(execFileSync('sh', ['-c', script], { encoding: 'utf8' }).split('\0').slice(0, -1)).toEqual(values);
});

test('shellQuote quotes every value, so every export line has one shape', () => {
  expect(shellQuote('STS.plain')).toBe("'STS.plain'");
  expect(shellQuote("it's")).toBe("'it'\\''s'");
});
