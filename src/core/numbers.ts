// Numbers as people read them in both languages: 1,234,567.

/**
 * 1234567 → 1,234,567. By hand, not toLocaleString: loading the locale data costs 20 ms, a tenth
 * of a command's whole start.
 */
export function groupDigits(value: number): string {
  const [whole, fraction] = String(Math.abs(value)).split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${value < 0 ? '-' : ''}${grouped}${fraction === undefined ? '' : `.${fraction}`}`;
}
