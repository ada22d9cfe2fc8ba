import { interpolateEnvironment } from './env-interpolation';

describe('interpolateEnvironment', () => {
  it('replaces ${VAR} in string values at any depth, leaving keys and non-strings alone', () => {
    const document = {
      '${KEY}': 'a ${NAME} b',
      list: [{ url: '${HOST}:${PORT}' }, 3, true, null],
    };
    const result = interpolateEnvironment(document, {
      NAME: 'x',
      HOST: 'h',
      PORT: '80',
      KEY: 'k',
    });
    expect(result.problems).toEqual([]);
    expect(result.document).toEqual({
      '${KEY}': 'a x b',
      list: [{ url: 'h:80' }, 3, true, null],
    });
    expect(result.substitutions).toEqual([
      { path: ['${KEY}'], variable: 'NAME', value: 'x' },
      { path: ['list', 0, 'url'], variable: 'HOST', value: 'h' },
      { path: ['list', 0, 'url'], variable: 'PORT', value: '80' },
    ]);
  });

  it('uses the default of ${VAR:-default} when the variable is unset or empty, as the shell does', () => {
    const document = { a: '${A:-one}', b: '${B:-two}', c: '${C:-}', d: '${D:-x:-y}' };
    const result = interpolateEnvironment(document, { A: 'set', B: '' });
    expect(result.document).toEqual({ a: 'set', b: 'two', c: '', d: 'x:-y' });
    expect(result.problems).toEqual([]);
  });

  it('keeps an empty value of a plain ${VAR} (the schema decides whether empty is allowed)', () => {
    expect(interpolateEnvironment({ a: '${A}' }, { A: '' }).document).toEqual({ a: '' });
  });

  it('reports every unset variable with the field that uses it', () => {
    const result = interpolateEnvironment(
      { auth: { password: '${PASSWORD}' }, hooks: [{ secret: 'pre-${HOOK}-${PASSWORD}' }] },
      {},
    );
    expect(result.problems).toEqual([
      { path: ['auth', 'password'], rule: 'environment variable PASSWORD is not set' },
      { path: ['hooks', 0, 'secret'], rule: 'environment variable HOOK is not set' },
      { path: ['hooks', 0, 'secret'], rule: 'environment variable PASSWORD is not set' },
    ]);
  });

  it('reports malformed references and reads $${...} as a literal ${...}', () => {
    const result = interpolateEnvironment(
      { bad: '${1X}', open: 'x ${UNCLOSED', literal: 'cost $${PRICE}' },
      { PRICE: '9' },
    );
    expect(result.document).toEqual({
      bad: '${1X}',
      open: 'x ${UNCLOSED',
      literal: 'cost ${PRICE}',
    });
    expect(result.problems.map((problem) => problem.path)).toEqual([['bad'], ['open']]);
    expect(result.problems[0].rule).toContain('malformed variable reference');
    expect(result.substitutions).toEqual([]);
  });
});
