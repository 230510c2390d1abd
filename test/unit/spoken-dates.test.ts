// Dates and times as agents type what customers say.
import { describe, expect, it } from 'vitest';
import { spokenDate, spokenDateTime, spokenTime } from '../../src/domain/spoken-dates.js';

// Thursday 3 December 2026.
const TODAY = '2026-12-03';

describe('spokenDate', () => {
  it.each([
    ['今天', '2026-12-03'],
    ['明天', '2026-12-04'],
    ['后天', '2026-12-05'],
    ['大后天', '2026-12-06'],
    ['tomorrow', '2026-12-04'],
    ['Tomorrow', '2026-12-04'],
    ['下周一', '2026-12-07'],
    ['下星期三', '2026-12-09'],
    ['下个礼拜五', '2026-12-11'],
    ['本周五', '2026-12-04'],
    ['这周日', '2026-12-06'],
    ['周三', '2026-12-09'],
    ['周四', '2026-12-03'],
    ['星期天', '2026-12-06'],
    ['next monday', '2026-12-07'],
    ['friday', '2026-12-04'],
    ['12-05', '2026-12-05'],
    ['12/5', '2026-12-05'],
    ['12月5日', '2026-12-05'],
    ['12月5号', '2026-12-05'],
    ['１２－０５', '2026-12-05'],
    // A week ago, for a callback: taken as said (the screen says it has passed), not next year's.
    ['11-26', '2026-11-26'],
    ['01-05', '2027-01-05'],
    ['10-20', '2027-10-20'],
    ['1/8', '2027-01-08'],
    ['8号', '2026-12-08'],
    ['1号', '2027-01-01'],
    ['3天后', '2026-12-06'],
    ['in 10 days', '2026-12-13'],
    ['2026-12-20', '2026-12-20'],
    ['2026/12/20', '2026-12-20'],
    ['2026年12月20日', '2026-12-20'],
  ])('%s looking forward is %s', (typed, expected) => {
    expect(spokenDate(typed, TODAY, 'future')).toBe(expected);
  });

  it.each([
    ['昨天', '2026-12-02'],
    ['前天', '2026-12-01'],
    ['yesterday', '2026-12-02'],
    ['周三', '2026-12-02'],
    ['周五', '2026-11-27'],
    ['上周一', '2026-11-23'],
    ['last friday', '2026-11-27'],
    ['11-26', '2026-11-26'],
    ['12-25', '2026-12-25'],
    ['01-05', '2026-01-05'],
    ['28号', '2026-11-28'],
    ['3天前', '2026-11-30'],
    ['2 days ago', '2026-12-01'],
  ])('%s looking back is %s', (typed, expected) => {
    expect(spokenDate(typed, TODAY, 'past')).toBe(expected);
  });

  it.each(['', 'soon', '2-30', '13-01', '周八', '下周', '32号', 'abc 12'])('%j is not a date', (typed) => {
    expect(spokenDate(typed, TODAY, 'future')).toBeUndefined();
  });
});

describe('spokenTime and spokenDateTime', () => {
  it.each([
    ['15:00', '15:00'],
    ['15：30', '15:30'],
    ['3点', '03:00'],
    ['下午3点', '15:00'],
    ['下午3点半', '15:30'],
    ['晚上8点15分', '20:15'],
    ['中午12点', '12:00'],
    ['上午10点', '10:00'],
    ['3pm', '15:00'],
    ['3:30 pm', '15:30'],
    ['12am', '00:00'],
  ])('%s is %s', (typed, time) => {
    expect(spokenTime(typed)?.time).toBe(time);
  });

  it.each([
    ['明天 15:00', '2026-12-04T15:00'],
    ['明天下午3点', '2026-12-04T15:00'],
    ['12-05 15:00', '2026-12-05T15:00'],
    ['下周一 上午10点', '2026-12-07T10:00'],
    ['tomorrow 3pm', '2026-12-04T15:00'],
    ['2026-12-10 09:30', '2026-12-10T09:30'],
    ['明天', '2026-12-04T09:00'],
    ['16:00', '2026-12-03T16:00'],
  ])('%s is %s', (typed, at) => {
    expect(spokenDateTime(typed, TODAY)).toBe(at);
  });

  it.each(['', '明天 25:00', '明天 15:61', 'later', '12-05 soon'])('%j is not a date and time', (typed) => {
    expect(spokenDateTime(typed, TODAY)).toBeUndefined();
  });
});
