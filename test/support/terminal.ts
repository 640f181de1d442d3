/**
 * What a terminal shows after a program's output: enough of a VT100 to replay what sso-logs and its libraries
 * write (text, CR/LF, cursor column and moves, erase in line and display, cursor save and restore, autowrap on
 * and off; colours and other attributes are dropped). Every character is taken as one column wide, which holds
 * for what the reports print (box drawing, Latin letters).
 */
export interface Screen {
  /** The rows at the end, trailing blanks trimmed. */
  rows: string[];
  /** The rows joined where the terminal wrapped them: each is what was written as one line, and `rows` how many rows it took. */
  lines: { text: string; rows: number }[];
  /** A row as it stood each time the rest of it was erased (ESC[K): the frames of a line redrawn in place. */
  frames: string[];
}

export function replay(raw: string, columns: number): Screen {
  const grid: string[][] = [[]];
  const wrapped = new Set<number>();
  const frames: string[] = [];
  let row = 0;
  let col = 0;
  let autowrap = true;
  let saved = { row: 0, col: 0 };
  const line = (r: number) => (grid[r] ??= []);
  const text = (r: number) => Array.from({ length: line(r).length }, (_, i) => line(r)[i] ?? ' ').join('').trimEnd();
  const down = () => {
    row++;
    line(row);
  };
  const chars = [...raw];
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i]!;
    if (ch === '\x1b') {
      const next = chars[i + 1];
      if (next === '[') {
        let j = i + 2;
        let params = '';
        while (j < chars.length && /[0-9;?]/.test(chars[j]!)) params += chars[j++];
        const final = chars[j];
        // a sequence cut short (a colour code split by a wrap) leaves its rest on the screen, as a terminal does
        if (final === undefined || !/[@-~]/.test(final)) {
          i = j - 1;
          continue;
        }
        i = j;
        const n = (fallback: number) => (params.replace('?', '') === '' ? fallback : Number(params.replace('?', '').split(';')[0]));
        switch (final) {
          case 'm': break;
          case 'K': {
            const mode = n(0);
            const cells = line(row);
            if (mode === 0) cells.length = Math.min(cells.length, col);
            else if (mode === 1) for (let k = 0; k <= col && k < cells.length; k++) cells[k] = ' ';
            else cells.length = 0;
            if (mode === 0) frames.push(text(row));
            break;
          }
          case 'J':
            if (n(0) === 0) {
              line(row).length = Math.min(line(row).length, col);
              grid.length = row + 1;
            }
            break;
          case 'G': col = Math.max(0, n(1) - 1); break;
          case 'C': col = Math.min(columns - 1, col + n(1)); break;
          case 'D': col = Math.max(0, col - n(1)); break;
          case 'A': row = Math.max(0, row - n(1)); break;
          case 'B': for (let k = 0; k < n(1); k++) down(); break;
          case 'h':
          case 'l':
            if (params === '?7') autowrap = final === 'h';
            break;
          default: break;
        }
      } else if (next === ']') {
        // OSC: to BEL or ST
        let j = i + 2;
        while (j < chars.length && chars[j] !== '\x07' && !(chars[j] === '\x1b' && chars[j + 1] === '\\')) j++;
        i = chars[j] === '\x07' ? j : j + 1;
      } else {
        if (next === '7') saved = { row, col };
        if (next === '8') ({ row, col } = saved);
        i++;
      }
    } else if (ch === '\r') col = 0;
    else if (ch === '\n') down();
    else if (ch === '\b') col = Math.max(0, col - 1);
    else if (ch === '\t') col = Math.min(columns - 1, (Math.floor(col / 8) + 1) * 8);
    else if (ch >= ' ' && ch !== '\x7f') {
      if (col >= columns) {
        if (autowrap) {
          wrapped.add(row);
          down();
          col = 0;
        } else col = columns - 1;
      }
      const cells = line(row);
      while (cells.length < col) cells.push(' ');
      cells[col++] = ch;
    }
  }
  const rows = grid.map((_, r) => text(r));
  while (rows.length && rows.at(-1) === '') rows.pop();
  const lines: Screen['lines'] = [];
  for (let r = 0; r < rows.length; r++) {
    let joined = rows[r]!;
    let count = 1;
    while (wrapped.has(r) && r + 1 < rows.length) {
      r++;
      joined = joined.padEnd(columns) + rows[r]!;
      count++;
    }
    lines.push({ text: joined, rows: count });
  }
  return { rows, lines, frames };
}
