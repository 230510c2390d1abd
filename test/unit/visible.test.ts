import { describe, expect, it } from 'vitest';
import { jsonText } from '../../src/core/output.js';
import { renderTable } from '../../src/core/table.js';
import { visible } from '../../src/core/visible.js';
import { mdEscape } from '../../src/report/formats.js';
import { t } from '../../src/messages/index.js';

describe('visible: control characters shown, never obeyed', () => {
  it('escapes C0, DEL, C1 and bidi marks, on one line by default', () => {
    expect(visible('\x1b]0;pwned\x07')).toBe('\\x1b]0;pwned\\x07');
    expect(visible('a\r\nb\tc\x00\x7f\x9b\u202e')).toBe('a\\r\\nb\\tc\\x00\\x7f\\x9b\\u202e');
    expect(visible('王丽 C1001 138****8000')).toBe('王丽 C1001 138****8000');
  });

  it('keeps line breaks and tabs of a block when asked, and its own colour only when colour is on', () => {
    expect(visible('a\nb\tc\x1b[2J', { lines: true, tabs: true })).toBe('a\nb\tc\\x1b[2J');
    expect(visible('\x1b[31mred\x1b[39m \x1b]0;x\x07', { lines: true, colour: true })).toBe('\x1b[31mred\x1b[39m \\x1b]0;x\\x07');
    expect(visible('\x1b[31mred\x1b[39m')).toBe('\\x1b[31mred\\x1b[39m');
  });

  it('is applied to message parameters, table cells, Markdown and JSON', () => {
    expect(t('error.fileNotFound', { path: 'a\x1b[2Jb\nc' })).not.toMatch(/[\x1b\n]/);
    expect(renderTable(['名\x07'], [['x\ry']]).join('\n')).toBe('名\\x07\nx\\ry');
    expect(mdEscape('<img src=x onerror=alert(1)>|*a*_[b](c)')).toBe('&lt;img src=x onerror=alert(1)&gt;\\|\\*a\\*\\_\\[b\\](c)');
    const json = jsonText({ name: '\x1b\x9b\u202e' });
    expect(json).toBe('{"name":"\\u001b\\u009b\\u202e"}');
    expect(JSON.parse(json).name).toBe('\x1b\x9b\u202e');
  });
});
