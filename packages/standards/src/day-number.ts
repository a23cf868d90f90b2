/**
 * Calendar arithmetic on `YYYY-MM-DD` strings without `Date`: the engine must not depend on the
 * host's clock or time zone, and the same input must give the same verdict everywhere.
 */
export function toDayNumber(isoDate: string): number {
  // Digits read with charCodeAt and no helper closure: this runs for every piece of evidence in
  // every evaluation, and tsx wraps each closure it creates in a naming helper.
  const y0 = (isoDate.charCodeAt(0) - 48) * 1000 + (isoDate.charCodeAt(1) - 48) * 100 + (isoDate.charCodeAt(2) - 48) * 10 + (isoDate.charCodeAt(3) - 48);
  const m = (isoDate.charCodeAt(5) - 48) * 10 + (isoDate.charCodeAt(6) - 48);
  const d = (isoDate.charCodeAt(8) - 48) * 10 + (isoDate.charCodeAt(9) - 48);
  // Days since 1970-01-01 in the proleptic Gregorian calendar (H. Hinnant's days_from_civil).
  const y = m <= 2 ? y0 - 1 : y0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

export function isCalendarDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const y = Number(value.slice(0, 4));
  const m = Number(value.slice(5, 7));
  const d = Number(value.slice(8, 10));
  if (m < 1 || m > 12 || d < 1) return false;
  const isLeap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const lengths = [31, isLeap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  return d <= (lengths[m - 1] ?? 0);
}
