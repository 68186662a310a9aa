// Where JSON text stops being valid. V8's JSON.parse names the position for most errors but not for an
// unexpected token ("Unexpected token 'c', "…" is not valid JSON"); a source engineer needs the offset to find
// the problem in a 10 MB batch. Only run after JSON.parse has failed. Iterative, so deep nesting cannot overflow.

const WHITESPACE = new Set([0x20, 0x09, 0x0a, 0x0d]);
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
// eslint-disable-next-line no-control-regex -- JSON forbids unescaped U+0000–U+001F in a string; matching them is the point.
const STRING = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;

/** The 0-based offset of the first character that makes `text` invalid JSON (text.length when it ends early). */
export function jsonErrorOffset(text: string): number {
  let i = 0;
  const skip = () => {
    while (i < text.length && WHITESPACE.has(text.charCodeAt(i))) i++;
  };
  const match = (pattern: RegExp): boolean => {
    pattern.lastIndex = i;
    if (!pattern.test(text)) return false;
    i = pattern.lastIndex;
    return true;
  };
  // What each open container expects next.
  const stack: ('value-or-close-array' | 'comma-or-close-array' | 'key-or-close-object' | 'comma-or-close-object')[] = [];
  let expectValue = true;
  for (;;) {
    skip();
    if (i >= text.length) return stack.length === 0 && !expectValue ? -1 : text.length;
    const c = text[i]!;
    if (expectValue) {
      if (c === '{') {
        i++;
        stack.push('key-or-close-object');
        expectValue = false;
        continue;
      }
      if (c === '[') {
        i++;
        stack.push('value-or-close-array');
        skip();
        if (text[i] === ']') {
          i++;
          stack.pop();
          expectValue = false;
          if (stack.length === 0) break;
          stack[stack.length - 1] = stack.at(-1)!.endsWith('array') ? 'comma-or-close-array' : 'comma-or-close-object';
          continue;
        }
        continue;
      }
      const ok =
        (c === '"' && match(STRING)) ||
        ((c === '-' || (c >= '0' && c <= '9')) && match(NUMBER)) ||
        (text.startsWith('true', i) && (i += 4)) ||
        (text.startsWith('false', i) && (i += 5)) ||
        (text.startsWith('null', i) && (i += 4));
      if (!ok) return i;
      expectValue = false;
      if (stack.length === 0) break;
      stack[stack.length - 1] = stack.at(-1)!.endsWith('array') ? 'comma-or-close-array' : 'comma-or-close-object';
      continue;
    }
    const state = stack.at(-1);
    if (state === 'key-or-close-object') {
      if (c === '}') {
        i++;
        stack.pop();
      } else {
        if (c !== '"' || !match(STRING)) return i;
        skip();
        if (text[i] !== ':') return i;
        i++;
        expectValue = true;
        continue;
      }
    } else if (state === 'comma-or-close-object') {
      if (c === ',') {
        i++;
        stack[stack.length - 1] = 'key-or-close-object';
        skip();
        if (text[i] === '}') return i; // trailing comma
        continue;
      }
      if (c !== '}') return i;
      i++;
      stack.pop();
    } else if (state === 'comma-or-close-array') {
      if (c === ',') {
        i++;
        expectValue = true;
        continue;
      }
      if (c !== ']') return i;
      i++;
      stack.pop();
    } else {
      return i;
    }
    if (stack.length === 0) break;
    stack[stack.length - 1] = stack.at(-1)!.endsWith('array') ? 'comma-or-close-array' : 'comma-or-close-object';
  }
  skip();
  return i < text.length ? i : -1;
}

/** "line L, column C" of an offset, 1-based, as editors count them. */
export function lineAndColumn(text: string, offset: number): string {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return `line ${line}, column ${offset - lineStart + 1}`;
}
