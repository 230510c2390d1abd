// Realistic Chinese back-office exports (会员 / 订单 / 工单) as Excel and CRMs write them, with the
// ground truth a test needs to check what an import, a plan and a report make of them.
//
//   node dist/tools/backoffice.js --out DIR [--customers 3000] [--seed 7] [--date 2026-11-23]
//   npm run gen:realistic -- --out DIR        (or: npm run gen -- --realistic --out DIR)
//
// What generate.ts is to speed (a million clean-ish rows), this is to meaning: a few thousand
// members over 18 months, written three ways each (GBK CSV with CRLF as Excel saves it on Chinese
// Windows, UTF-8 CSV with BOM, .xlsx with ids as text cells), with the damage real exports carry:
// a 合计 / 总计 totals row, a "共 N 条" footer and blank trailing rows; phones and order ids in
// scientific notation (1.38001E+10, 2.02611E+17: two orders collapse to one value); member ids that
// lost their leading zeros in the orders and tickets CSVs (000123 → 123); dates rewritten as
// 2026/11/30 or Excel serial numbers; missing and garbled phones; a do-not-call column (是/否, a few
// blank) under a header today's aliases do not know; refunded, cancelled and closed orders; tickets
// closed without a resolution time, open, stale (opened > 90 days ago, still 处理中) and fresh (opened
// the day before the reference day).
//
// Everything is a pure function of (customers, seed, date): one seeded PRNG consumed in a fixed
// order, no clock, no locale; the .xlsx gets fixed document and zip timestamps. The manifest
// (manifest.json beside the files, also returned) says what every damaged row is and what a correct
// import must do with it, by line number (the header is line 1; the same line in every format).

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { civil } from '../domain/calendar.js';
import {
  CATEGORIES,
  CITIES,
  COMPOUND_SURNAMES,
  DESCRIPTIONS,
  GIVEN_CHARS,
  MOBILE_PREFIXES,
  PRODUCT_CUM,
  PRODUCTS,
  Rng,
  SURNAMES,
  csvField,
  cumulative,
  groupThousands,
  parseDay,
  isMainModule,
} from './generate.js';

// ---------------------------------------------------------------------------------------------
// Public API

export const BACKOFFICE_DEFAULTS = { customers: 3000, seed: 7, date: '2026-11-23' } as const;
/** 18 months of history before the reference day. */
export const HISTORY_DAYS = 548;
/** A ticket still open after this many days is stale (the default). */
export const STALE_AFTER_DAYS = 90;

export type ExportKind = 'customers' | 'orders' | 'tickets';
export type ExportFormat = 'gbk' | 'bom' | 'xlsx';
export const EXPORT_KINDS: readonly ExportKind[] = ['customers', 'orders', 'tickets'];
export const EXPORT_FORMATS: readonly ExportFormat[] = ['gbk', 'bom', 'xlsx'];

export interface BackofficeOptions {
  customers?: number;
  seed?: number;
  /** The reference day (the morning the exports are taken), YYYY-MM-DD; every record is before it. */
  date?: string;
}

export const HEADERS: Record<ExportKind, readonly string[]> = {
  customers: ['会员ID', '会员姓名', '手机号码', '性别', '注册时间', '会员等级', '是否免打扰', '联系时段', '所属门店', '累计积分', '备注', '最后登录时间'],
  orders: ['订单编号', '会员ID', '下单时间', '商品名称', '数量', '实付金额', '订单状态', '支付方式', '收货城市', '下单渠道'],
  tickets: ['工单编号', '会员ID', '创建时间', '问题类型', '问题描述', '工单状态', '处理人', '处理完成时间', '更新时间', '满意度'],
};

/** Headers that mean a followup field but are not aliases today: the issue asks for them to be mapped. */
export const HEADERS_TO_MAP: Record<ExportKind, Readonly<Record<string, string>>> = {
  customers: { 是否免打扰: 'doNotCall', 联系时段: 'preferredTime' },
  orders: { 订单状态: 'status' },
  tickets: {},
};

/** Headers no followup field means: a correct import lists them as unmapped (`unmappedColumns`). */
export const UNMAPPED_HEADERS: Record<ExportKind, readonly string[]> = {
  customers: ['性别', '所属门店', '累计积分', '备注', '最后登录时间'],
  orders: ['数量', '支付方式', '收货城市'],
  tickets: ['处理人', '更新时间', '满意度'],
};

/** A cell: the same text in every format, or (lost zeros, serial dates) a CSV text and an xlsx value. */
export type Cell = string | { csv: string; xlsx: string | number };

export interface ExportTable {
  kind: ExportKind;
  sheet: string;
  header: readonly string[];
  rows: Cell[][];
  /** Totals row, footer and blank rows, in file order after the data rows. */
  trailer: Array<{ what: 'totals' | 'footer' | 'blank'; cells: string[] }>;
  /** 0-based columns written as text cells in the workbook (ids, phones). */
  textColumns: readonly number[];
}

export type PhoneProblem = 'scientific' | 'missing' | 'garbled';
export type TicketKind = 'resolved' | 'closedWithoutTime' | 'open' | 'stale' | 'fresh';

export interface TicketTruth {
  id: string;
  customerId: string;
  line: number;
  kind: TicketKind;
  status: string;
  /** ISO, China time, minutes: 2026-11-22T14:05. */
  openedAt: string;
  /** As the row gives it (处理完成时间), ISO; absent when the cell is empty. */
  resolvedAt?: string;
  /** For closed-without-time tickets: the best date the row offers, and its column. */
  bestDate?: string;
  bestDateFrom?: string;
  /** True when the CSVs write its member id without leading zeros (the xlsx keeps them). */
  customerIdLostZerosInCsv: boolean;
}

export interface FileTruth {
  kind: ExportKind;
  format: ExportFormat;
  encoding: 'gbk' | 'utf-8-bom' | 'xlsx';
  bytes: number;
  dataRows: number;
  /** Data rows are lines 2..lastDataLine. */
  lastDataLine: number;
  totalsLine: number | null;
  footerLine: number;
  /** Blank trailing rows (CSV only: a workbook does not store empty rows). */
  blankLines: number[];
  /** A row a correct import must not store, with why. */
  rejects: Array<{ line: number; recordId: string; written: string; reason: 'id-scientific' | 'customer-id-lost-zeros'; trueId?: string; didYouMean?: string }>;
}

export interface BackofficeManifest {
  generator: 'backoffice';
  version: 1;
  seed: number;
  date: string;
  historyStart: string;
  customers: number;
  headers: Record<ExportKind, readonly string[]>;
  headersToMap: Record<ExportKind, Readonly<Record<string, string>>>;
  unmappedHeaders: Record<ExportKind, readonly string[]>;
  files: Record<string, FileTruth>;
  counts: {
    customers: { rows: number; doNotCall: number; doNotCallBlank: number; phoneScientific: number; phoneMissing: number; phoneGarbled: number };
    orders: {
      rows: number;
      counting: number;
      notCounting: number;
      idScientific: number;
      /** Rows of the CSVs whose member id lost its leading zeros (the workbook keeps them). */
      customerIdLostZerosCsv: number;
      expectedStoredCsv: number;
      expectedStoredXlsx: number;
    };
    tickets: Record<TicketKind, number> & { rows: number; customerIdLostZerosCsv: number; expectedStoredCsv: number; expectedStoredXlsx: number };
  };
  /** Member ids whose 是否免打扰 is 是: never to be planned. */
  doNotCall: string[];
  /** Member ids whose 是否免打扰 cell is empty. */
  doNotCallBlank: string[];
  /** Do-not-call members who have work that would be due if the flag were ignored (a recent purchase or an open ticket). */
  doNotCallWithDueWork: string[];
  /** Members kept (id is fine) whose phone is not usable: not callable by phone, listed with the reason. */
  phones: Array<{ customerId: string; line: number; written: string; reason: PhoneProblem; truePhone?: string }>;
  /** Orders that are no purchase (refunded, cancelled, closed, unpaid): no call, no spend, no order count. */
  notCountingOrders: Array<{ id: string; customerId: string; line: number; status: string; orderedAt: string; amountFen: number }>;
  /** Members whose orders are all not counting: a correct import gives them no spend and no after-sale call. */
  onlyNotCountingBuyers: string[];
  /** Per member with any not-counting order: [counted spend, not-counted spend] in fen. */
  spendFen: Record<string, [number, number]>;
  /** Orders whose id Excel turned into scientific notation; rows with the same written value collided. */
  scientificOrderIds: Array<{ line: number; trueId: string; written: string; customerId: string; collidesWithLines: number[] }>;
  /** CSV rows whose member id lost its leading zeros. */
  lostZeros: Array<{ kind: 'orders' | 'tickets'; line: number; recordId: string; written: string; trueId: string }>;
  /** Cells written as Excel serial numbers (CSV text; a number cell in the workbook). */
  serialDates: Array<{ kind: ExportKind; line: number; column: string; written: string; date: string }>;
  tickets: TicketTruth[];
}

export interface BackofficeData {
  tables: Record<ExportKind, ExportTable>;
  manifest: BackofficeManifest;
}

// ---------------------------------------------------------------------------------------------
// Vocabulary

const TIERS = ['普通会员', '银卡会员', '金卡会员', '钻石会员'];
const TIER_CUM = cumulative([70, 18, 9, 3]);
const CONTACT_TIMES = ['工作日晚上', '周末', '上午9点-12点', '下午2点-6点', '晚上7点后', '中午', '随时'];
const STORES = ['万达店', '旗舰店', '中心店', '体验店', '天街店'];
const NOTES = ['老客户，多次复购', '公司采购，需开专票', '客户要求只在周末联系', '老人用，说话慢一点', '朋友介绍, 送过小礼品', '对价格比较敏感', '上次回访反馈很好', '曾说"安装师傅迟到", 需提前确认'];
const GARBLED_PHONES = ['未填写', '无', '138001380', '1380013800O', '0000', '—', '13800138000/13900139000', '?'];
const COUNTING_OLD = ['已完成', '交易成功', '已签收'];
const COUNTING_OLD_CUM = cumulative([60, 28, 12]);
const COUNTING_RECENT = ['已发货', '待收货', '已签收', '已完成'];
const NOT_COUNTING = ['已退款', '退款成功', '交易关闭', '已取消'];
const PAYMENTS = ['微信支付', '支付宝', '银联', '货到付款', '花呗分期'];
const CHANNELS = ['天猫旗舰店', '京东自营', '门店', '官方商城', '微信小程序', '抖音小店'];
const HANDLERS = ['客服小王', '客服小李', '售后张工', '客服主管陈', '客服小周'];
const SATISFACTION = ['非常满意', '满意', '一般', '不满意', ''];
const TICKET_KIND_CUM = cumulative([58, 10, 17, 9, 6]);
const TICKET_KINDS: readonly TicketKind[] = ['resolved', 'closedWithoutTime', 'open', 'stale', 'fresh'];

const P_NO_ORDERS = 0.12;
const P_DND = 0.05;
const P_DND_BLANK = 0.03;
const P_PHONE_SCI = 0.015;
const P_PHONE_MISSING = 0.02;
const P_PHONE_GARBLED = 0.01;
const P_NOT_COUNTING = 0.075;
const P_ORDER_ID_SCI = 0.005;
const P_LOST_ZEROS = 0.015;
const P_TICKET = 0.12;

// ---------------------------------------------------------------------------------------------
// Small helpers

const pad2 = (n: number): string => (n < 10 ? '0' + n : String(n));
const EXCEL_EPOCH_OFFSET = 25569; // serial of 1970-01-01

function isoDay(day: number): string {
  const [y, m, d] = civil(day);
  return `${y}-${pad2(m)}-${pad2(d)}`;
}

function isoMinute(day: number, minute: number): string {
  return `${isoDay(day)}T${pad2(Math.floor(minute / 60))}:${pad2(minute % 60)}`;
}

/** How Excel's General format shows a long number: 13800138000 → 1.38001E+10, 2026112309... → 2.02611E+17. */
export function excelScientific(digits: string): string {
  let exponent = digits.length - 1;
  let mantissa = Math.round(Number(digits.slice(0, 7).padEnd(7, '0')) / 10) / 1e5;
  if (mantissa >= 10) {
    mantissa /= 10;
    exponent++;
  }
  return `${mantissa.toFixed(5).replace(/\.?0+$/, '')}E+${exponent}`;
}

/** Date and time in one of the shapes exports carry; 'serial' cells differ between CSV and workbook. */
function dateCell(rng: Rng, day: number, minute: number, shapes: readonly number[], withTime: boolean): { cell: Cell; serial?: string } {
  const [y, m, d] = civil(day);
  const hh = pad2(Math.floor(minute / 60));
  const mm = pad2(minute % 60);
  const ss = pad2((minute * 7) % 60);
  const shape = rng.weighted(cumulative(shapes));
  if (shape === 0) return { cell: withTime ? `${y}-${pad2(m)}-${pad2(d)} ${hh}:${mm}:${ss}` : `${y}-${pad2(m)}-${pad2(d)}` };
  if (shape === 1) return { cell: withTime ? `${y}/${m}/${d} ${Math.floor(minute / 60)}:${mm}` : `${y}/${m}/${d}` };
  if (shape === 2) return { cell: withTime ? `${y}-${pad2(m)}-${pad2(d)} ${hh}:${mm}` : `${y}/${pad2(m)}/${pad2(d)}` };
  // Excel serial: days since 1899-12-30, the time as a fraction (as Excel writes it back as General).
  const value = withTime ? Number((day + EXCEL_EPOCH_OFFSET + minute / 1440).toFixed(6)) : day + EXCEL_EPOCH_OFFSET;
  const text = String(value);
  return { cell: { csv: text, xlsx: value }, serial: text };
}

function formatYuan(rng: Rng, fen: number): string {
  const yuan = Math.floor(fen / 100);
  const cents = pad2(fen % 100);
  const r = rng.next();
  if (r < 0.55) return `¥${groupThousands(yuan)}.${cents}`;
  if (r < 0.85) return `${yuan}.${cents}`;
  return `${groupThousands(yuan)}.${cents}元`;
}

function personName(rng: Rng): string {
  const surname = rng.chance(0.01) ? rng.pick(COMPOUND_SURNAMES)[0] : SURNAMES[rng.skewed(SURNAMES.length, 2)][0];
  let given = rng.pick(GIVEN_CHARS)[0];
  if (rng.chance(0.7)) given += rng.pick(GIVEN_CHARS)[0];
  return surname + given;
}

function mobile(rng: Rng): string {
  return rng.pick(MOBILE_PREFIXES) + rng.digits(8);
}

function phoneText(rng: Rng, digits: string): string {
  const r = rng.next();
  if (r < 0.85) return digits;
  if (r < 0.93) return `${digits.slice(0, 3)} ${digits.slice(3, 7)} ${digits.slice(7)}`;
  return `+86 ${digits}`;
}

function describe(rng: Rng, category: number, product: string): string {
  return rng.pick(DESCRIPTIONS[category]).replace('{p}', product).replace('{n}', String(rng.between(2, 5)));
}

const text = (cell: Cell): string => (typeof cell === 'string' ? cell : cell.csv);

// ---------------------------------------------------------------------------------------------
// Building the data and its truth

interface CustomerDraft {
  id: string;
  line: number;
  city: string;
  signupDay: number;
  dnd: boolean;
  orders: OrderDraft[];
}

interface OrderDraft {
  id: string;
  customer: CustomerDraft;
  day: number;
  minute: number;
  product: string;
  qty: number;
  fen: number;
  status: string;
  counts: boolean;
  cells?: Cell[];
  serial?: string;
}

interface TicketDraft {
  id: string;
  customer: CustomerDraft;
  kind: TicketKind;
  day: number;
  minute: number;
  status: string;
  resolvedDay?: number;
  resolvedMinute?: number;
  updatedDay: number;
  updatedMinute: number;
  category: number;
  description: string;
}

export function buildBackoffice(options: BackofficeOptions = {}): BackofficeData {
  const n = options.customers ?? BACKOFFICE_DEFAULTS.customers;
  if (!Number.isSafeInteger(n) || n < 1) throw new RangeError(`customers must be a whole number >= 1, got ${n}`);
  const seed = options.seed ?? BACKOFFICE_DEFAULTS.seed;
  const date = options.date ?? BACKOFFICE_DEFAULTS.date;
  const today = parseDay(date);
  if (today === undefined) throw new RangeError(`date must be YYYY-MM-DD, got ${date}`);
  const start = today - HISTORY_DAYS;
  const rng = new Rng(seed);
  const idWidth = Math.max(6, String(n).length);

  // --- customers -------------------------------------------------------------------------------
  const customers: CustomerDraft[] = [];
  const customerRows: Cell[][] = [];
  const phones: BackofficeManifest['phones'] = [];
  const serialDates: BackofficeManifest['serialDates'] = [];
  const doNotCall: string[] = [];
  const doNotCallBlank: string[] = [];
  let pointsTotal = 0;
  for (let i = 1; i <= n; i++) {
    const id = String(i).padStart(idWidth, '0');
    const line = i + 1;
    const [city] = CITIES[rng.skewed(CITIES.length, 1.6)];
    const signupDay = start - 365 + rng.int(365 + HISTORY_DAYS - 20);
    const name = personName(rng);
    const truePhone = mobile(rng);
    const p = rng.next();
    let phone: string;
    if (p < P_PHONE_SCI) {
      phone = excelScientific(truePhone);
      phones.push({ customerId: id, line, written: phone, reason: 'scientific', truePhone });
    } else if (p < P_PHONE_SCI + P_PHONE_MISSING) {
      phone = '';
      phones.push({ customerId: id, line, written: '', reason: 'missing' });
    } else if (p < P_PHONE_SCI + P_PHONE_MISSING + P_PHONE_GARBLED) {
      phone = rng.pick(GARBLED_PHONES);
      phones.push({ customerId: id, line, written: phone, reason: 'garbled' });
    } else {
      phone = phoneText(rng, truePhone);
    }
    const signup = dateCell(rng, signupDay, rng.between(480, 1380), [25, 45, 20, 10], rng.chance(0.5));
    if (signup.serial) serialDates.push({ kind: 'customers', line, column: '注册时间', written: signup.serial, date: isoDay(signupDay) });
    const d = rng.next();
    const dnd = d < P_DND;
    const dndText = dnd ? '是' : d < P_DND + P_DND_BLANK ? '' : '否';
    if (dnd) doNotCall.push(id);
    else if (dndText === '') doNotCallBlank.push(id);
    const points = rng.int(20000);
    pointsTotal += points;
    const lastLogin = rng.chance(0.6) ? `${isoDay(today - 1 - rng.int(60))} ${pad2(rng.between(7, 23))}:${pad2(rng.int(60))}:${pad2(rng.int(60))}` : '';
    customerRows.push([
      id,
      name,
      phone,
      rng.chance(0.52) ? '女' : '男',
      signup.cell,
      TIERS[rng.weighted(TIER_CUM)],
      dndText,
      rng.chance(0.35) ? rng.pick(CONTACT_TIMES) : '',
      city + rng.pick(STORES),
      String(points),
      rng.chance(0.2) ? rng.pick(NOTES) : '',
      lastLogin,
    ]);
    customers.push({ id, line, city, signupDay, dnd, orders: [] });
  }

  // --- orders (drawn per customer, written newest first as back offices export them) -----------
  const orders: OrderDraft[] = [];
  const orderIds = new Set<string>();
  for (const customer of customers) {
    if (rng.chance(P_NO_ORDERS)) continue;
    let count = 1;
    while (count < 15 && rng.chance(0.7)) count++;
    const first = Math.max(customer.signupDay, start);
    for (let k = 0; k < count; k++) {
      const day = first + rng.int(Math.max(1, today - first));
      const minute = rng.between(7 * 60, 23 * 60 + 59);
      const [product, listFen] = PRODUCTS[rng.weighted(PRODUCT_CUM)];
      const qty = rng.chance(0.88) ? 1 : rng.between(2, 3);
      const unit = rng.chance(0.7) ? listFen : Math.round((listFen * rng.pick([0.95, 0.9, 0.85])) / 100) * 100;
      const age = today - day;
      let status: string;
      let counts = true;
      if (rng.chance(P_NOT_COUNTING)) {
        status = age <= 3 && rng.chance(0.5) ? '待付款' : rng.pick(NOT_COUNTING);
        counts = false;
      } else {
        status = age <= 6 ? rng.pick(COUNTING_RECENT) : COUNTING_OLD[rng.weighted(COUNTING_OLD_CUM)];
      }
      let id: string;
      do {
        const [y, m, dd] = civil(day);
        id = `${y}${pad2(m)}${pad2(dd)}${rng.between(1, 9)}${rng.digits(9)}`;
      } while (orderIds.has(id));
      orderIds.add(id);
      const order: OrderDraft = { id, customer, day, minute, product, qty, fen: unit * qty, status, counts };
      customer.orders.push(order);
      orders.push(order);
    }
  }
  orders.sort((a, b) => b.day - a.day || b.minute - a.minute || (a.id < b.id ? -1 : 1));

  const notCountingOrders: BackofficeManifest['notCountingOrders'] = [];
  const scientificOrders: Array<{ index: number; written: string }> = [];
  const lostZeros: BackofficeManifest['lostZeros'] = [];
  const orderRows: Cell[][] = [];
  let qtyTotal = 0;
  let fenTotal = 0;
  const orderIdCell: string[] = [];
  const lostZeroRows = new Set<number>();
  for (let i = 0; i < orders.length; i++) {
    const o = orders[i];
    const line = i + 2;
    let idText = o.id;
    if (rng.chance(P_ORDER_ID_SCI)) {
      idText = excelScientific(o.id);
      scientificOrders.push({ index: i, written: idText });
    } else if (rng.chance(P_LOST_ZEROS)) lostZeroRows.add(i);
    orderIdCell.push(idText);
    const when = dateCell(rng, o.day, o.minute, [60, 25, 8, 7], true);
    if (when.serial) serialDates.push({ kind: 'orders', line, column: '下单时间', written: when.serial, date: isoMinute(o.day, o.minute) });
    qtyTotal += o.qty;
    fenTotal += o.fen;
    if (!o.counts) {
      notCountingOrders.push({ id: o.id, customerId: o.customer.id, line, status: o.status, orderedAt: isoMinute(o.day, o.minute), amountFen: o.fen });
    }
    o.cells = [
      idText,
      o.customer.id,
      when.cell,
      o.product,
      String(o.qty),
      formatYuan(rng, o.fen),
      o.status,
      rng.pick(PAYMENTS),
      o.customer.city,
      rng.pick(CHANNELS),
    ];
  }
  // Excel keeps 6 significant digits, so two orders of the same month collapse into one value:
  // make sure the data holds at least one such collision.
  if (scientificOrders.length > 0) {
    const target = scientificOrders[0].written;
    if (scientificOrders.filter((s) => s.written === target).length < 2) {
      const j = orders.findIndex((o, k) => k !== scientificOrders[0].index && !scientificOrders.some((s) => s.index === k) && excelScientific(o.id) === target);
      if (j >= 0) {
        orderIdCell[j] = target;
        orders[j].cells![0] = target;
        lostZeroRows.delete(j);
        scientificOrders.push({ index: j, written: target });
      }
    }
  }
  for (const i of lostZeroRows) {
    const o = orders[i];
    const written = o.customer.id.replace(/^0+/, '');
    o.cells![1] = { csv: written, xlsx: o.customer.id };
    lostZeros.push({ kind: 'orders', line: i + 2, recordId: o.id, written, trueId: o.customer.id });
  }
  for (const o of orders) orderRows.push(o.cells!);
  const scientificOrderIds: BackofficeManifest['scientificOrderIds'] = scientificOrders
    .map((s) => ({
      line: s.index + 2,
      trueId: orders[s.index].id,
      written: s.written,
      customerId: orders[s.index].customer.id,
      collidesWithLines: scientificOrders.filter((t) => t.written === s.written && t.index !== s.index).map((t) => t.index + 2).sort((a, b) => a - b),
    }))
    .sort((a, b) => a.line - b.line);

  // --- tickets ---------------------------------------------------------------------------------
  const tickets: TicketDraft[] = [];
  const buyers = customers.filter((c) => c.orders.length > 0);
  const ticketCount = Math.max(10, Math.round(n * P_TICKET));
  let seq = 0;
  for (let k = 0; k < ticketCount && buyers.length > 0; k++) {
    // The first five tickets are one of each kind, so even a tiny data set has every case.
    const kind = k < TICKET_KINDS.length ? TICKET_KINDS[k] : TICKET_KINDS[rng.weighted(TICKET_KIND_CUM)];
    const customer = rng.pick(buyers);
    const firstOrder = Math.min(...customer.orders.map((o) => o.day));
    let day: number;
    if (kind === 'fresh') day = today - 1;
    else if (kind === 'stale') day = today - rng.between(STALE_AFTER_DAYS + 1, 400);
    else if (kind === 'open') day = today - rng.between(2, STALE_AFTER_DAYS - 1);
    else day = today - rng.between(3, HISTORY_DAYS - 10);
    day = Math.max(day, Math.min(firstOrder, today - 1));
    if (kind === 'stale' && today - day <= STALE_AFTER_DAYS) day = today - STALE_AFTER_DAYS - 1 - rng.int(30);
    const minute = rng.between(8 * 60, 21 * 60 + 30);
    const category = rng.weighted(cumulative([30, 20, 15, 12, 12, 7, 4]));
    const product = rng.pick(customer.orders).product;
    const t: TicketDraft = {
      id: '',
      customer,
      kind,
      day,
      minute,
      status: '',
      updatedDay: day,
      updatedMinute: minute,
      category,
      description: describe(rng, category, product),
    };
    const lastPossible = today - 1;
    if (kind === 'resolved') {
      t.status = rng.chance(0.85) ? '已解决' : '已结案';
      t.resolvedDay = Math.min(day + rng.int(10), lastPossible);
      t.resolvedMinute = t.resolvedDay === day ? Math.min(minute + 30 + rng.int(120), 1439) : rng.between(8 * 60, 21 * 60);
      t.updatedDay = t.resolvedDay;
      t.updatedMinute = t.resolvedMinute;
    } else if (kind === 'closedWithoutTime') {
      t.status = rng.chance(0.5) ? '已结案' : '已关闭';
      t.updatedDay = Math.min(day + 1 + rng.int(14), lastPossible);
      t.updatedMinute = rng.between(8 * 60, 21 * 60);
    } else if (kind === 'stale') {
      t.status = '处理中';
      t.updatedDay = Math.min(day + rng.int(60), lastPossible);
      t.updatedMinute = rng.between(8 * 60, 21 * 60);
    } else {
      t.status = kind === 'fresh' ? rng.pick(['待处理', '处理中']) : rng.pick(['处理中', '待处理', '处理中']);
      t.updatedDay = kind === 'fresh' ? day : Math.min(day + rng.int(5), lastPossible);
      t.updatedMinute = t.updatedDay === day ? minute : rng.between(8 * 60, 21 * 60);
    }
    tickets.push(t);
  }
  tickets.sort((a, b) => a.day - b.day || a.minute - b.minute);
  for (const t of tickets) {
    const [y, m, d] = civil(t.day);
    t.id = `GD${y}${pad2(m)}${pad2(d)}${String(++seq).padStart(4, '0')}`;
  }
  tickets.reverse(); // newest first, as helpdesks export

  const ticketRows: Cell[][] = [];
  const ticketTruth: TicketTruth[] = [];
  for (let i = 0; i < tickets.length; i++) {
    const t = tickets[i];
    const line = i + 2;
    const opened = dateCell(rng, t.day, t.minute, [20, 15, 58, 7], true);
    if (opened.serial) serialDates.push({ kind: 'tickets', line, column: '创建时间', written: opened.serial, date: isoMinute(t.day, t.minute) });
    const resolvedText =
      t.resolvedDay === undefined ? '' : `${isoDay(t.resolvedDay)} ${pad2(Math.floor(t.resolvedMinute! / 60))}:${pad2(t.resolvedMinute! % 60)}`;
    const lost = rng.chance(P_LOST_ZEROS * 1.5);
    const written = t.customer.id.replace(/^0+/, '');
    if (lost) lostZeros.push({ kind: 'tickets', line, recordId: t.id, written, trueId: t.customer.id });
    ticketRows.push([
      t.id,
      lost ? { csv: written, xlsx: t.customer.id } : t.customer.id,
      opened.cell,
      CATEGORIES[t.category] + '类',
      t.description,
      t.status,
      rng.pick(HANDLERS),
      resolvedText,
      `${isoDay(t.updatedDay)} ${pad2(Math.floor(t.updatedMinute / 60))}:${pad2(t.updatedMinute % 60)}`,
      t.kind === 'resolved' ? rng.pick(SATISFACTION) : '',
    ]);
    const truth: TicketTruth = {
      id: t.id,
      customerId: t.customer.id,
      line,
      kind: t.kind,
      status: t.status,
      openedAt: isoMinute(t.day, t.minute),
      customerIdLostZerosInCsv: lost,
    };
    if (t.resolvedDay !== undefined) truth.resolvedAt = isoMinute(t.resolvedDay, t.resolvedMinute!);
    if (t.kind === 'closedWithoutTime') {
      truth.bestDate = isoMinute(t.updatedDay, t.updatedMinute);
      truth.bestDateFrom = '更新时间';
    }
    ticketTruth.push(truth);
  }

  // --- trailers: what Excel reports end with ---------------------------------------------------
  const blank = (k: ExportKind): string[] => HEADERS[k].map(() => '');
  const withCells = (k: ExportKind, values: Record<number, string>): string[] => blank(k).map((v, i) => values[i] ?? v);
  const customerTrailer: ExportTable['trailer'] = [
    { what: 'totals', cells: withCells('customers', { 0: '合计', 9: String(pointsTotal) }) },
    { what: 'footer', cells: withCells('customers', { 0: `共 ${n} 条` }) },
    { what: 'blank', cells: blank('customers') },
    { what: 'blank', cells: blank('customers') },
  ];
  const orderTrailer: ExportTable['trailer'] = [
    { what: 'totals', cells: withCells('orders', { 0: '合计', 4: String(qtyTotal), 5: `¥${groupThousands(Math.floor(fenTotal / 100))}.${pad2(fenTotal % 100)}` }) },
    { what: 'footer', cells: withCells('orders', { 0: `共 ${orders.length} 条记录` }) },
    { what: 'blank', cells: blank('orders') },
  ];
  const ticketTrailer: ExportTable['trailer'] = [
    { what: 'totals', cells: withCells('tickets', { 0: '总计', 1: `${tickets.length} 条工单` }) },
    { what: 'footer', cells: withCells('tickets', { 0: `共 ${tickets.length} 条` }) },
    { what: 'blank', cells: blank('tickets') },
    { what: 'blank', cells: blank('tickets') },
    { what: 'blank', cells: blank('tickets') },
  ];

  const tables: Record<ExportKind, ExportTable> = {
    customers: { kind: 'customers', sheet: '会员列表', header: HEADERS.customers, rows: customerRows, trailer: customerTrailer, textColumns: [0, 2] },
    orders: { kind: 'orders', sheet: '订单明细', header: HEADERS.orders, rows: orderRows, trailer: orderTrailer, textColumns: [0, 1] },
    tickets: { kind: 'tickets', sheet: '工单列表', header: HEADERS.tickets, rows: ticketRows, trailer: ticketTrailer, textColumns: [0, 1] },
  };

  // --- the truth -------------------------------------------------------------------------------
  const spendFen: Record<string, [number, number]> = {};
  const onlyNotCountingBuyers: string[] = [];
  for (const c of customers) {
    if (c.orders.every((o) => o.counts)) continue;
    let counted = 0;
    let not = 0;
    for (const o of c.orders) {
      if (o.counts) counted += o.fen;
      else not += o.fen;
    }
    spendFen[c.id] = [counted, not];
    if (c.orders.every((o) => !o.counts)) onlyNotCountingBuyers.push(c.id);
  }
  const openTicketCustomers = new Set(tickets.filter((t) => t.kind === 'open' || t.kind === 'fresh').map((t) => t.customer.id));
  const doNotCallWithDueWork = customers
    .filter((c) => c.dnd && (openTicketCustomers.has(c.id) || c.orders.some((o) => o.counts && today - o.day >= 3 && today - o.day <= 15)))
    .map((c) => c.id);

  const ticketCounts = { resolved: 0, closedWithoutTime: 0, open: 0, stale: 0, fresh: 0 } as Record<TicketKind, number>;
  for (const t of tickets) ticketCounts[t.kind]++;
  const orderLost = lostZeros.filter((l) => l.kind === 'orders').length;
  const ticketLost = lostZeros.filter((l) => l.kind === 'tickets').length;

  const manifest: BackofficeManifest = {
    generator: 'backoffice',
    version: 1,
    seed,
    date,
    historyStart: isoDay(start),
    customers: n,
    headers: HEADERS,
    headersToMap: HEADERS_TO_MAP,
    unmappedHeaders: UNMAPPED_HEADERS,
    files: {},
    counts: {
      customers: {
        rows: n,
        doNotCall: doNotCall.length,
        doNotCallBlank: doNotCallBlank.length,
        phoneScientific: phones.filter((p) => p.reason === 'scientific').length,
        phoneMissing: phones.filter((p) => p.reason === 'missing').length,
        phoneGarbled: phones.filter((p) => p.reason === 'garbled').length,
      },
      orders: {
        rows: orders.length,
        counting: orders.length - notCountingOrders.length,
        notCounting: notCountingOrders.length,
        idScientific: scientificOrderIds.length,
        customerIdLostZerosCsv: orderLost,
        expectedStoredCsv: orders.length - scientificOrderIds.length - orderLost,
        expectedStoredXlsx: orders.length - scientificOrderIds.length,
      },
      tickets: {
        rows: tickets.length,
        ...ticketCounts,
        customerIdLostZerosCsv: ticketLost,
        expectedStoredCsv: tickets.length - ticketLost,
        expectedStoredXlsx: tickets.length,
      },
    },
    doNotCall,
    doNotCallBlank,
    doNotCallWithDueWork,
    phones,
    notCountingOrders: notCountingOrders.sort((a, b) => a.line - b.line),
    onlyNotCountingBuyers,
    spendFen,
    scientificOrderIds,
    lostZeros: lostZeros.sort((a, b) => (a.kind === b.kind ? a.line - b.line : a.kind < b.kind ? -1 : 1)),
    serialDates,
    tickets: ticketTruth,
  };
  return { tables, manifest };
}

// ---------------------------------------------------------------------------------------------
// Rendering

/** CSV as Excel saves it: CRLF, quotes only where needed; GBK (with ￥, GBK has no ¥) or UTF-8 with BOM. */
export async function renderCsv(table: ExportTable, encoding: 'gbk' | 'bom'): Promise<Buffer> {
  let out = table.header.map(csvField).join(',') + '\r\n';
  for (const row of table.rows) out += row.map((c) => csvField(text(c))).join(',') + '\r\n';
  for (const t of table.trailer) out += t.cells.map(csvField).join(',') + '\r\n';
  if (encoding === 'bom') return Buffer.from('\uFEFF' + out, 'utf8');
  const iconv = (await import('iconv-lite')).default;
  return iconv.encode(out.replace(/¥/g, '￥'), 'gbk');
}

/** A workbook with one sheet: ids and phones as text cells (leading zeros kept), serial dates as numbers. */
export async function renderXlsx(table: ExportTable, date: string): Promise<Buffer> {
  const { default: ExcelJS } = await import('exceljs');
  const { PassThrough } = await import('node:stream');
  const fixed = new Date(`${date}T00:00:00Z`);
  const sink = new PassThrough();
  const chunks: Buffer[] = [];
  sink.on('data', (chunk: Buffer) => chunks.push(chunk));
  // The streaming writer: about twice as fast as building the workbook in memory.
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: sink, useSharedStrings: true, useStyles: true });
  workbook.creator = 'backoffice';
  workbook.lastModifiedBy = 'backoffice';
  workbook.created = fixed;
  workbook.modified = fixed;
  const sheet = workbook.addWorksheet(table.sheet);
  sheet.addRow([...table.header]).commit();
  for (const row of table.rows) {
    const added = sheet.addRow(row.map((c) => (typeof c === 'string' ? c : c.xlsx)));
    for (const col of table.textColumns) added.getCell(col + 1).numFmt = '@';
    added.commit();
  }
  // Empty rows are not stored in a workbook; the totals and footer rows are.
  for (const t of table.trailer) if (t.what !== 'blank') sheet.addRow(t.cells).commit();
  sheet.commit();
  await workbook.commit();
  return fixZipTimes(Buffer.concat(chunks), fixed);
}

/** The zip writer stamps every entry with the current time; rewrite them so the same input gives the same bytes. */
function fixZipTimes(zip: Buffer, when: Date): Buffer {
  const dosTime = 0;
  const dosDate = ((when.getUTCFullYear() - 1980) << 9) | ((when.getUTCMonth() + 1) << 5) | when.getUTCDate();
  let eocd = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 65_557); i--) {
    if (zip.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error('xlsx: zip end record not found');
  const entries = zip.readUInt16LE(eocd + 10);
  let p = zip.readUInt32LE(eocd + 16);
  for (let k = 0; k < entries; k++) {
    if (zip.readUInt32LE(p) !== 0x02014b50) throw new Error('xlsx: bad zip central directory');
    zip.writeUInt16LE(dosTime, p + 12);
    zip.writeUInt16LE(dosDate, p + 14);
    const local = zip.readUInt32LE(p + 42);
    if (zip.readUInt32LE(local) === 0x04034b50) {
      zip.writeUInt16LE(dosTime, local + 10);
      zip.writeUInt16LE(dosDate, local + 12);
    }
    p += 46 + zip.readUInt16LE(p + 28) + zip.readUInt16LE(p + 30) + zip.readUInt16LE(p + 32);
  }
  return zip;
}

export function fileName(kind: ExportKind, format: ExportFormat): string {
  return format === 'xlsx' ? `${kind}.xlsx` : `${kind}.${format}.csv`;
}

/** Every file's bytes, keyed by file name, and the manifest with the file facts filled in. */
export async function renderBackoffice(data: BackofficeData): Promise<{ files: Record<string, Buffer>; manifest: BackofficeManifest }> {
  const files: Record<string, Buffer> = {};
  const manifest: BackofficeManifest = { ...data.manifest, files: {} };
  for (const kind of EXPORT_KINDS) {
    const table = data.tables[kind];
    const rejectsFor = (format: ExportFormat): FileTruth['rejects'] => {
      const out: FileTruth['rejects'] = [];
      if (kind === 'orders') {
        for (const s of manifest.scientificOrderIds) out.push({ line: s.line, recordId: s.trueId, written: s.written, reason: 'id-scientific' });
      }
      if (format !== 'xlsx') {
        for (const l of manifest.lostZeros) {
          if (l.kind === kind) out.push({ line: l.line, recordId: l.recordId, written: l.written, reason: 'customer-id-lost-zeros', trueId: l.trueId, didYouMean: l.trueId });
        }
      }
      return out.sort((a, b) => a.line - b.line);
    };
    for (const format of EXPORT_FORMATS) {
      const name = fileName(kind, format);
      const bytes = format === 'xlsx' ? await renderXlsx(table, data.manifest.date) : await renderCsv(table, format);
      files[name] = bytes;
      const lastDataLine = table.rows.length + 1;
      const trailerLine = (what: 'totals' | 'footer'): number | null => {
        const i = table.trailer.findIndex((t) => t.what === what);
        return i < 0 ? null : lastDataLine + 1 + i;
      };
      manifest.files[name] = {
        kind,
        format,
        encoding: format === 'gbk' ? 'gbk' : format === 'bom' ? 'utf-8-bom' : 'xlsx',
        bytes: bytes.length,
        dataRows: table.rows.length,
        lastDataLine,
        totalsLine: trailerLine('totals'),
        footerLine: trailerLine('footer')!,
        blankLines: format === 'xlsx' ? [] : table.trailer.flatMap((t, i) => (t.what === 'blank' ? [lastDataLine + 1 + i] : [])),
        rejects: rejectsFor(format),
      };
    }
  }
  return { files, manifest };
}

/** Builds, renders and writes the nine files and manifest.json into `out`; returns the manifest. */
export async function writeBackoffice(options: BackofficeOptions & { out: string }): Promise<BackofficeManifest> {
  const { files, manifest } = await renderBackoffice(buildBackoffice(options));
  mkdirSync(options.out, { recursive: true });
  for (const [name, bytes] of Object.entries(files)) writeFileSync(join(options.out, name), bytes);
  writeFileSync(join(options.out, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
  return manifest;
}

// ---------------------------------------------------------------------------------------------
// Command line

export const BACKOFFICE_USAGE =
  'usage: node dist/tools/backoffice.js --out DIR [--customers 3000] [--seed 7] [--date 2026-11-23]';

class UsageProblem extends Error {}

export function parseBackofficeArgs(argv: readonly string[]): (BackofficeOptions & { out: string }) | 'help' {
  const values = new Map<string, string>();
  const known = new Set(['--customers', '--out', '--seed', '--date']);
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '-h' || arg === '--help') return 'help';
    if (arg === '--realistic') continue;
    const eq = arg.indexOf('=');
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    if (!known.has(flag)) throw new UsageProblem(`unknown argument "${arg}"`);
    const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined || value === '') throw new UsageProblem(`${flag} needs a value`);
    values.set(flag, value);
  }
  const out = values.get('--out');
  if (out === undefined) throw new UsageProblem('--out is required');
  const options: BackofficeOptions & { out: string } = { out };
  const customers = values.get('--customers');
  if (customers !== undefined) {
    const cleaned = customers.replace(/[_,]/g, '');
    if (!/^\d+$/.test(cleaned) || Number(cleaned) < 1) throw new UsageProblem(`--customers must be a whole number >= 1, got "${customers}"`);
    options.customers = Number(cleaned);
  }
  const seed = values.get('--seed');
  if (seed !== undefined) {
    if (!/^-?\d+$/.test(seed)) throw new UsageProblem(`--seed must be an integer, got "${seed}"`);
    options.seed = Number(seed);
  }
  const date = values.get('--date');
  if (date !== undefined) {
    if (parseDay(date) === undefined) throw new UsageProblem(`--date must be a date like 2026-11-23, got "${date}"`);
    options.date = date;
  }
  return options;
}

export async function backofficeMain(argv: readonly string[]): Promise<void> {
  let options: ReturnType<typeof parseBackofficeArgs>;
  try {
    options = parseBackofficeArgs(argv);
  } catch (err) {
    if (!(err instanceof UsageProblem)) throw err;
    process.stderr.write(`backoffice: ${err.message} (${BACKOFFICE_USAGE})\n`);
    process.exitCode = 2;
    return;
  }
  if (options === 'help') {
    process.stdout.write(BACKOFFICE_USAGE + '\n');
    return;
  }
  try {
    const started = performance.now();
    const manifest = await writeBackoffice(options);
    const c = manifest.counts;
    process.stderr.write(
      `backoffice: ${c.customers.rows} customers, ${c.orders.rows} orders (${c.orders.notCounting} not counting), ` +
        `${c.tickets.rows} tickets (${c.tickets.stale} stale, ${c.tickets.fresh} fresh) in ${options.out} ` +
        `(${((performance.now() - started) / 1000).toFixed(2)} s; truth in manifest.json)\n`,
    );
  } catch (err) {
    process.stderr.write(`backoffice: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  }
}

if (isMainModule(import.meta.url)) {
  void backofficeMain(process.argv.slice(2));
}
