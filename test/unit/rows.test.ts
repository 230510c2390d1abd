import { describe, expect, it } from 'vitest';
import { mapHeader, parseMapOptions, type ImportKind } from '../../src/domain/columns.js';
import { footerLabel, newRowNotes, rowValidator, STORED_COLUMNS, type RowReject, type StoredValue } from '../../src/domain/rows.js';

const NONE = new Map<string, string>();

function validator(kind: ImportKind, headers: string[], map: string[] = []) {
  return rowValidator(mapHeader(kind, headers, parseMapOptions(kind, map), `${kind}.csv`));
}

/** A validated row as { stored column: value }, after checking it is a row and has every column. */
function stored(kind: ImportKind, result: StoredValue[] | RowReject): Record<string, StoredValue> {
  if (!Array.isArray(result)) throw new Error(`expected a row, got the reject ${JSON.stringify(result)}`);
  expect(result).toHaveLength(STORED_COLUMNS[kind].length);
  return Object.fromEntries(STORED_COLUMNS[kind].map((column, i) => [column, result[i]]));
}

describe('STORED_COLUMNS', () => {
  it('lists the stored columns of each kind, extra last', () => {
    expect(STORED_COLUMNS).toEqual({
      customers: ['id', 'name', 'phone', 'phone_raw', 'email', 'city', 'signup_date', 'tier', 'do_not_call', 'preferred_time', 'extra'],
      orders: ['id', 'customer_id', 'ordered_at', 'amount_fen', 'product', 'channel', 'status', 'state', 'counts', 'extra'],
      complaints: ['id', 'customer_id', 'opened_at', 'resolved_at', 'status', 'state', 'resolved_from', 'updated_at', 'category', 'description', 'extra'],
    });
  });
});

describe('rowValidator: customers', () => {
  const HEADERS = ['客户编号', '客户姓名', '手机号', '邮箱', '城市', '注册日期', '会员等级', '拒绝回访', '偏好联系时间', '备注', '推荐人'];
  const validate = validator('customers', HEADERS);

  it('stores a complete row', () => {
    const result = validate(['C1001', '王丽', '+86 138-0013-8000', 'Wang.Li@Example.com', '上海', '2026/11/3', '金卡', '是', '晚上7点后', '老客户', '陈建国']);
    expect(result).toEqual([
      'C1001',
      '王丽',
      '+8613800138000',
      '+86 138-0013-8000',
      'wang.li@example.com',
      '上海',
      '2026-11-03',
      '金卡',
      1,
      '晚上7点后',
      '{"备注":"老客户","推荐人":"陈建国"}',
    ]);
  });

  it('normalises as it stores: half-width ids, trimmed text, a date without its time, do_not_call 0', () => {
    const result = validate(['C１００１ ', ' 王丽 ', ' 010-12345678 ', '', ' 北京 ', '2026年11月3日 14:05', '', '否', '', '', '']);
    expect(stored('customers', result)).toEqual({
      id: 'C1001',
      name: '王丽',
      phone: '+861012345678',
      phone_raw: '010-12345678',
      email: null,
      city: '北京',
      signup_date: '2026-11-03',
      tier: null,
      do_not_call: 0,
      preferred_time: null,
      extra: null,
    });
  });

  it('stores null for empty optional cells, 0 for an empty do-not-call, and no extra when the extras are empty', () => {
    expect(validate(['C1002', '陈建国', '', '', '', '', '', '', '', '', ''])).toEqual([
      'C1002',
      '陈建国',
      null,
      null,
      null,
      null,
      null,
      null,
      0,
      null,
      null,
    ]);
  });

  it('keeps only the non-empty extra columns in the JSON', () => {
    const result = validate(['C1003', '张伟', '13900139000', '', '', '45000', '', 'Y', '', '', '王丽']);
    expect(stored('customers', result)).toMatchObject({ phone: '+8613900139000', signup_date: '2023-03-15', do_not_call: 1, extra: '{"推荐人":"王丽"}' });
    expect(JSON.parse(stored('customers', result).extra as string)).toEqual({ 推荐人: '王丽' });
  });

  it('keeps an extra cell exactly as written, quotes and all', () => {
    const result = validate(['C1004', '李娜', '', '', '', '', '', '', '', '说 "再联系"\n下周', '']);
    expect(JSON.parse(stored('customers', result).extra as string)).toEqual({ 备注: '说 "再联系"\n下周' });
  });

  it('stores a file with only the required columns, every other field empty', () => {
    const minimal = validator('customers', ['customer_id', 'name']);
    expect(minimal(['C1', 'Wang Li'])).toEqual(['C1', 'Wang Li', null, null, null, null, null, null, 0, null, null]);
  });

  it('reads columns where the header puts them', () => {
    const shuffled = validator('customers', ['mobile', 'do_not_call', 'name', 'customer_id', 'signup_date']);
    expect(stored('customers', shuffled(['138 0013 8000', 'true', 'Wang Li', 'C9', '2026-10-28T09:12:33']))).toEqual({
      id: 'C9',
      name: 'Wang Li',
      phone: '+8613800138000',
      phone_raw: '138 0013 8000',
      email: null,
      city: null,
      signup_date: '2026-10-28',
      tier: null,
      do_not_call: 1,
      preferred_time: null,
      extra: null,
    });
  });

  it('uses a column mapped with --map', () => {
    const mapped = validator('customers', ['客户编号', '会员号', '姓名'], ['会员号=id']);
    expect(stored('customers', mapped(['C1', 'M77', '王丽']))).toMatchObject({ id: 'M77', name: '王丽', extra: '{"客户编号":"C1"}' });
  });

  it('keeps a customer without a name, with a warning; rejects one without an id', () => {
    const warnings: RowReject[] = [];
    const keep = rowValidator(mapHeader('customers', HEADERS, NONE, 'customers.csv'), warnings);
    expect(stored('customers', keep(['C1005', '', '13800138000', '', '', '', '', '', '', '', '']))).toMatchObject({ id: 'C1005', name: '', phone: '+8613800138000' });
    expect(warnings).toEqual([{ field: 'name', value: '', problem: 'row.missingKept', params: { field: 'name' } }]);
    expect(validate(['  ', '王丽', '', '', '', '', '', '', '', '', ''])).toEqual({
      field: 'id',
      value: '  ',
      problem: 'row.required',
      params: { field: 'id' },
    });
  });

  it('warns about every bad optional field, in field order, and keeps the row', () => {
    const warnings: RowReject[] = [];
    const keep = rowValidator(mapHeader('customers', HEADERS, NONE, 'customers.csv'), warnings);
    expect(stored('customers', keep(['C1', '王丽', 'abc', 'not-mail', '', '', '', '', '', '', '']))).toMatchObject({ id: 'C1', phone: null, phone_raw: 'abc', email: null });
    expect(warnings.map((w) => w.field)).toEqual(['phone', 'email']);
  });

  it.each<[string, number, string, RowReject]>([
    ['a bad phone', 2, '12345', { field: 'phone', value: '12345', problem: 'value.phoneFormat', params: { value: '12345' } }],
    ['a phone in scientific notation', 2, '1.38001E+10', { field: 'phone', value: '1.38001E+10', problem: 'row.scientific', params: { value: '1.38001E+10' } }],
    ['a bad e-mail', 3, 'wang@', { field: 'email', value: 'wang@', problem: 'value.emailFormat', params: { value: 'wang@' } }],
    ['an impossible date', 5, '2026-02-30', { field: 'signupDate', value: '2026-02-30', problem: 'value.dateInvalid', params: { value: '2026-02-30' } }],
    ['text for a date', 5, '下周一', { field: 'signupDate', value: '下周一', problem: 'value.dateFormat', params: { value: '下周一' } }],
  ])('keeps the customer with %s, with a warning', (_what, index, cell, warning) => {
    const record = ['C1', '王丽', '13800138000', '', '', '', '', '', '', '', ''];
    record[index] = cell;
    const warnings: RowReject[] = [];
    const keep = rowValidator(mapHeader('customers', HEADERS, NONE, 'customers.csv'), warnings);
    const row = stored('customers', keep(record));
    expect(row.id).toBe('C1');
    expect(warnings).toEqual([warning]);
  });

  it('stops on a do-not-call value it cannot read (fatal), never guessing', () => {
    expect(validate(['C1', '王丽', '', '', '', '', '', 'maybe', '', '', ''])).toEqual({
      field: 'doNotCall',
      value: 'maybe',
      problem: 'value.flagFormat',
      params: { value: 'maybe' },
      fatal: true,
    });
  });

  it.each(['1.38001E+10', '2.02611E+17', '1E5', '１．３８Ｅ＋１０'])('rejects the id %j in scientific notation', (id) => {
    expect(validate([id, '王丽', '', '', '', '', '', '', '', '', ''])).toMatchObject({ field: 'id', problem: 'row.scientific' });
  });

  it('keeps the phone cell as written in phone_raw', () => {
    const warnings: RowReject[] = [];
    const keep = rowValidator(mapHeader('customers', HEADERS, NONE, 'customers.csv'), warnings);
    expect(stored('customers', keep(['C1', '王丽', ' 12345 ', '', '', '', '', '', '', '', '']))).toMatchObject({ phone: null, phone_raw: '12345' });
    expect(warnings).toEqual([{ field: 'phone', value: ' 12345 ', problem: 'value.phoneFormat', params: { value: '12345' } }]);
  });

  it('rejects a row with too few or too many columns', () => {
    expect(validate(['C1', '王丽', '13800138000'])).toEqual({
      field: null,
      value: '',
      problem: 'row.columnCount',
      params: { expected: 11, found: 3 },
    });
    expect(validate(['C1', '王丽', '', '', '', '', '', '', '', '', '', '多出来的'])).toEqual({
      field: null,
      value: '',
      problem: 'row.columnCount',
      params: { expected: 11, found: 12 },
    });
    expect(validate(['C1', '王丽', '', '', '', '', '', '', '', '', '', '', 'x'])).toMatchObject({ problem: 'row.columnCount', params: { found: 13 } });
    expect(validate([])).toMatchObject({ problem: 'row.columnCount', params: { expected: 11, found: 0 } });
  });

  it('tolerates trailing empty columns beyond the header, and does not store them', () => {
    expect(validate(['C1', '王丽', '', '', '', '', '', '', '', '', '', ''])).toEqual(['C1', '王丽', null, null, null, null, null, null, 0, null, null]);
    expect(validate(['C1', '王丽', '', '', '', '', '', '', '', '备注', '', '', ''])).toEqual([
      'C1',
      '王丽',
      null,
      null,
      null,
      null,
      null,
      null,
      0,
      null,
      '{"备注":"备注"}',
    ]);
  });

  it('tolerates a trailing empty column in the header and every row (a trailing comma)', () => {
    const trailing = validator('customers', ['客户编号', '客户姓名', '']);
    expect(trailing(['C1', '王丽', ''])).toEqual(['C1', '王丽', null, null, null, null, null, null, 0, null, null]);
  });
});

describe('rowValidator: orders', () => {
  const HEADERS = ['订单号', '客户编号', '下单时间', '实付金额', '商品名称', '渠道', '优惠券'];
  const validate = validator('orders', HEADERS);

  it('stores a complete row: fen, an ISO date-time, a half-width customer id', () => {
    expect(validate(['O20261103001', 'C１００１', '2026/11/3 14:05', '¥1,234.50', '保湿面霜', '天猫', 'NEW50'])).toEqual([
      'O20261103001',
      'C1001',
      '2026-11-03T14:05:00',
      123450,
      '保湿面霜',
      '天猫',
      null,
      null,
      1,
      '{"优惠券":"NEW50"}',
    ]);
  });

  it('stores a date without time as a date, and empty optionals as null', () => {
    expect(stored('orders', validate(['O2', 'C2', '2026-11-03', '89.90', '', '', '']))).toEqual({
      id: 'O2',
      customer_id: 'C2',
      ordered_at: '2026-11-03',
      amount_fen: 8990,
      product: null,
      channel: null,
      status: null,
      state: null,
      counts: 1,
      extra: null,
    });
  });

  it.each([
    ['1234.5元', 123450],
    ['RMB 99', 9900],
    ['0', 0],
    ['１２３４．５', 123450],
  ])('stores the amount %j as %d fen', (amount, fen) => {
    expect(stored('orders', validate(['O3', 'C3', '2026-10-28 09:12:33', amount, '', '', ''])).amount_fen).toBe(fen);
  });

  it('stores an instant given in UTC in China time', () => {
    expect(stored('orders', validate(['O4', 'C4', '2026-11-03T20:00:00Z', '10', '', '', ''])).ordered_at).toBe('2026-11-04T04:00:00');
  });

  function keeping(record: string[]) {
    const warnings: RowReject[] = [];
    const row = stored('orders', rowValidator(mapHeader('orders', HEADERS, NONE, 'orders.csv'), warnings)(record));
    return { row, warnings };
  }

  it.each(['-50', '(50)', '¥-1,234.50'])('keeps the order with the negative amount %j as ¥0, with row.negativeAmount', (amount) => {
    const { row, warnings } = keeping(['O5', 'C5', '2026-11-03', amount, '', '', '']);
    expect(row.amount_fen).toBe(0);
    expect(warnings).toEqual([{ field: 'amount', value: amount, problem: 'row.negativeAmount' }]);
  });

  it('keeps an order with a bad or missing amount as ¥0, with the parser’s problem', () => {
    expect(keeping(['O6', 'C6', '2026-11-03', '1,2', '', '', '']).warnings).toEqual([
      { field: 'amount', value: '1,2', problem: 'value.amountFormat', params: { value: '1,2' } },
    ]);
    expect(keeping(['O6', 'C6', '2026-11-03', '1234.567', '', '', '']).warnings).toEqual([
      { field: 'amount', value: '1234.567', problem: 'value.amountPrecision', params: { value: '1234.567' } },
    ]);
    expect(keeping(['O6', 'C6', '2026-11-03', '', '', '', ''])).toEqual({
      row: expect.objectContaining({ amount_fen: 0 }),
      warnings: [{ field: 'amount', value: '', problem: 'row.missingKept', params: { field: 'amount' } }],
    });
  });

  it.each<[number, string]>([
    [0, 'id'],
    [1, 'customerId'],
    [2, 'orderedAt'],
  ])('rejects an empty required cell %d (%s)', (index, field) => {
    const record = ['O7', 'C7', '2026-11-03', '10', '', '', ''];
    record[index] = '';
    expect(validate(record)).toEqual({ field, value: '', problem: 'row.required', params: { field } });
  });

  it('rejects an impossible order time', () => {
    expect(validate(['O8', 'C8', '2026-11-03 25:00', '10', '', '', ''])).toEqual({
      field: 'orderedAt',
      value: '2026-11-03 25:00',
      problem: 'value.dateInvalid',
      params: { value: '2026-11-03 25:00' },
    });
  });

  it('rejects a row with the wrong column count', () => {
    expect(validate(['O9', 'C9', '2026-11-03', '10', '', ''])).toEqual({
      field: null,
      value: '',
      problem: 'row.columnCount',
      params: { expected: 7, found: 6 },
    });
  });

  it('tolerates a trailing empty column', () => {
    expect(validate(['O10', 'C10', '2026-11-03', '10', '', '', '', ''])).toEqual(['O10', 'C10', '2026-11-03', 1000, null, null, null, null, 1, null]);
  });

  it.each<[string, string, number]>([
    ['已退款', 'refunded', 0],
    ['退款成功', 'refunded', 0],
    ['交易关闭', 'closed', 0],
    ['已取消', 'cancelled', 0],
    ['已关闭', 'closed', 0],
    ['待付款', 'unpaid', 0],
    ['退款中', 'refunding', 0],
    ['交易成功', 'completed', 1],
    ['已完成', 'completed', 1],
    ['已发货', 'shipped', 1],
    ['部分退款', 'completed', 1],
    ['Refunded', 'refunded', 0],
    ['cancelled', 'cancelled', 0],
  ])('stores the status %j as %s, counts %d', (status, state, counts) => {
    const withStatus = validator('orders', ['订单号', '客户编号', '下单时间', '实付金额', '订单状态']);
    expect(stored('orders', withStatus(['O11', 'C11', '2026-11-03', '10', status]))).toMatchObject({ status, state, counts });
  });

  it('keeps a status nobody can read as other, counting, and names it in the notes', () => {
    const notes = newRowNotes();
    const withStatus = rowValidator(mapHeader('orders', ['订单号', '客户编号', '下单时间', '实付金额', '交易状态'], NONE, 'orders.csv'), undefined, notes);
    expect(stored('orders', withStatus(['O12', 'C12', '2026-11-03', '10', '神秘状态']))).toMatchObject({ state: 'other', counts: 1 });
    expect([...notes.unknownStatuses.keys()]).toEqual(['神秘状态']);
  });
});

describe('rowValidator: complaints', () => {
  const HEADERS = ['工单编号', '客户编号', '投诉时间', '解决时间', '处理状态', '投诉类型', '问题描述', '处理人'];
  const validate = validator('complaints', HEADERS);

  it('stores a complete row', () => {
    expect(validate(['K1', 'C1001', '2026-11-03 14:00', '2026/11/5 下午3:30', '已解决', '物流', '快递三天没到，客服不回复', '小张'])).toEqual([
      'K1',
      'C1001',
      '2026-11-03T14:00:00',
      '2026-11-05T15:30:00',
      '已解决',
      'resolved',
      null,
      null,
      '物流',
      '快递三天没到，客服不回复',
      '{"处理人":"小张"}',
    ]);
  });

  it('stores an open complaint with resolved_at null', () => {
    expect(stored('complaints', validate(['K2', 'C2', '2026年11月3日', '', '处理中', '', '', '']))).toEqual({
      id: 'K2',
      customer_id: 'C2',
      opened_at: '2026-11-03',
      resolved_at: null,
      status: '处理中',
      state: 'open',
      resolved_from: null,
      updated_at: null,
      category: null,
      description: null,
      extra: null,
    });
  });

  it('rejects a complaint resolved before it was opened', () => {
    expect(validate(['K3', 'C3', '2026-11-03 14:00', '2026-11-02 18:00', '已解决', '', '', ''])).toEqual({
      field: 'resolvedAt',
      value: '2026-11-02T18:00:00',
      problem: 'row.resolvedBeforeOpened',
      params: { opened: '2026-11-03T14:00:00' },
    });
    expect(validate(['K4', 'C4', '2026-11-03', '2026-10-31', '', '', '', ''])).toEqual({
      field: 'resolvedAt',
      value: '2026-10-31',
      problem: 'row.resolvedBeforeOpened',
      params: { opened: '2026-11-03' },
    });
  });

  it('compares the China-time day when the opening time is given in UTC', () => {
    // 20:00Z on the 3rd is 04:00 on the 4th in China, after 22:00 on the 3rd.
    expect(validate(['K5', 'C5', '2026-11-03T20:00:00Z', '2026-11-03 22:00', '', '', '', ''])).toMatchObject({
      field: 'resolvedAt',
      problem: 'row.resolvedBeforeOpened',
      params: { opened: '2026-11-04T04:00:00' },
    });
  });

  it('accepts a complaint resolved the day it was opened, with or without a time', () => {
    expect(stored('complaints', validate(['K6', 'C6', '2026-11-03 14:00', '2026-11-03', '', '', '', ''])).resolved_at).toBe('2026-11-03');
    expect(stored('complaints', validate(['K7', 'C7', '2026-11-03 14:00', '2026-11-03 09:00', '', '', '', ''])).resolved_at).toBe(
      '2026-11-03T09:00:00',
    );
    expect(stored('complaints', validate(['K8', 'C8', '2026-11-03', '2026-11-03 18:00', '', '', '', ''])).resolved_at).toBe(
      '2026-11-03T18:00:00',
    );
  });

  it('rejects an empty opening time and a bad resolved time', () => {
    expect(validate(['K9', 'C9', '', '', '', '', '', ''])).toEqual({
      field: 'openedAt',
      value: '',
      problem: 'row.required',
      params: { field: 'openedAt' },
    });
    expect(validate(['K10', 'C10', '2026-11-03', '下周一', '', '', '', ''])).toEqual({
      field: 'resolvedAt',
      value: '下周一',
      problem: 'value.dateFormat',
      params: { value: '下周一' },
    });
  });

  it('rejects a row with the wrong column count, and tolerates a trailing empty one', () => {
    expect(validate(['K11', 'C11', '2026-11-03'])).toEqual({
      field: null,
      value: '',
      problem: 'row.columnCount',
      params: { expected: 8, found: 3 },
    });
    expect(validate(['K12', 'C12', '2026-11-03', '', '', '', '', '', ''])).toEqual([
      'K12',
      'C12',
      '2026-11-03',
      null,
      null,
      null,
      null,
      null,
      null,
      null,
      null,
    ]);
  });

  it('resolves a ticket closed without a resolution time on its last update, else its opening day, and says which', () => {
    const notes = newRowNotes();
    const v = rowValidator(mapHeader('complaints', ['工单编号', '客户编号', '创建时间', '处理完成时间', '工单状态', '更新时间'], NONE, 't.csv'), undefined, notes);
    expect(stored('complaints', v(['K20', 'C1', '2026-11-01', '', '已结案', '2026-11-04 10:00']))).toMatchObject({
      resolved_at: '2026-11-04T10:00:00',
      resolved_from: 'updatedAt',
      state: 'closed',
    });
    expect(stored('complaints', v(['K21', 'C1', '2026-11-01', '', '已关闭', '']))).toMatchObject({ resolved_at: '2026-11-01', resolved_from: 'openedAt' });
    expect(stored('complaints', v(['K22', 'C1', '2026-11-01', '', '处理中', '2026-11-04']))).toMatchObject({ resolved_at: null, state: 'open' });
    expect(stored('complaints', v(['K23', 'C1', '2026-11-01', '2026-11-02', '已解决', '2026-11-09']))).toMatchObject({ resolved_at: '2026-11-02', resolved_from: null });
    expect(notes.resolvedFrom).toEqual({ updatedAt: 1, openedAt: 1 });
  });
});

describe('footerLabel', () => {
  it.each([['合计', '', '12,345.00'], ['', '总计：', '99'], ['小计'], ['共 120 条'], ['共120条记录', ''], ['Total', '', '1,234'], ['合计(元)', '100']])(
    'takes %j for a footer',
    (...record) => {
      expect(footerLabel(record)).not.toBeNull();
      expect(footerLabel(record)).not.toBe('');
    },
  );
  it('takes a row of empty cells for blank', () => {
    expect(footerLabel(['', ' ', ''])).toBe('');
  });
  it.each([['C1001', '合计'], ['000123', '王丽'], ['小明', '13800138000'], ['Tom', 'x'], ['共享单车']])('takes %j for a record', (...record) => {
    expect(footerLabel(record)).toBeNull();
  });
});
