// Seeded generator of large synthetic CRM exports (customers, orders, complaints).
//
//   node dist/tools/generate.js --customers 1000000 --out DIR [--seed 42] [--encoding utf8|gbk]
//                               [--today 2026-11-23]
//
// Why it exists: the hand-made files in fixtures/ prove the importer reads every shape of
// export, but only a million-row file proves it does so in flat memory and reasonable time,
// and that rejecting bad rows still works when they are 1 in 100 rather than 1 in 10.
//
// Design choices, each for a reason:
// - One seeded PRNG (mulberry32) consumed in a fixed order, and no Date.now() or locale calls:
//   the same options give byte-identical files, so a benchmark or a failing test can be rerun.
//   --today defaults to a fixed day for the same reason.
// - One pass over the customers writes all three files at once: a customer's orders and
//   complaints are drawn right after the customer, so they can respect its signup date without
//   keeping anything per customer once its lines are out.
// - Lines are joined in batches of a few thousand and written with backpressure (await 'drain'),
//   so memory stays flat whatever --customers is.
// - Dates are computed from day numbers with integer arithmetic instead of Date objects, and
//   thousands separators by hand instead of toLocaleString: both run millions of times.
// - Only Node built-ins, plus iconv-lite loaded lazily for --encoding gbk.

import { civil } from '../domain/calendar.js';
import { once } from 'node:events';
import { createWriteStream, mkdirSync, realpathSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import { pathToFileURL } from 'node:url';

// ---------------------------------------------------------------------------------------------
// Public API

export type OutputEncoding = 'utf8' | 'gbk';

export interface GenerateOptions {
  /** How many customer rows to write (orders and complaints follow from it). */
  customers: number;
  /** Directory for customers.csv, orders.csv and complaints.csv; created if missing. */
  out: string;
  /** PRNG seed; the same seed and options give byte-identical files. Default 42. */
  seed?: number;
  /** utf8 (no BOM) or gbk, as Excel on Chinese Windows saves. Default utf8. */
  encoding?: OutputEncoding;
  /** The day the data is "exported": every date is before it. YYYY-MM-DD, default 2026-11-23. */
  today?: string;
  /** Receives one summary line per file; the CLI passes stderr. Default: silent. */
  log?: (line: string) => void;
}

export interface FileSummary {
  name: string;
  path: string;
  /** Data rows, header excluded. */
  rows: number;
  bytes: number;
  /** Time from the start of generation until this file was flushed and closed. */
  seconds: number;
}

/** How many rows were made bad on purpose, by kind, so tests can compare with import rejects. */
export interface BadRowCounts {
  customerShortPhone: number;
  customerImpossibleDate: number;
  orderNegativeAmount: number;
  orderImpossibleDate: number;
  /** Orders whose 客户ID matches no customer row at all. */
  orderUnknownCustomer: number;
  /** Orders (otherwise fine) of customers whose own row is one of the bad ones above. */
  orderOfBadCustomer: number;
  complaintImpossibleDate: number;
}

export interface GenerateResult {
  files: FileSummary[];
  bad: BadRowCounts;
  seconds: number;
}

export const DEFAULT_SEED = 42;
export const DEFAULT_TODAY = '2026-11-23';

export const CUSTOMER_HEADER = '客户编号,客户姓名,手机号,邮箱,城市,注册时间,会员等级,拒绝回访,偏好联系时间,备注';
export const ORDER_HEADER = '订单号,客户ID,下单时间,订单金额,商品名称,购买渠道';
export const COMPLAINT_HEADER = '工单编号,客户编号,投诉时间,解决时间,状态,投诉类别,问题描述';

// ---------------------------------------------------------------------------------------------
// Tunables. Rates are per row; they are what the brief for the benchmark data asks for.

/** Customers per batch; each batch also carries ~3x as many orders. */
const BATCH_CUSTOMERS = 2000;
/** Signup dates are spread over this many days before today. */
const SIGNUP_SPAN_DAYS = 3 * 365;
const P_NO_ORDERS = 0.12;
/** Geometric tail for the order count of buyers: mean 1 + q/(1-q) ≈ 3.4, ~4% have 10 or more. */
const ORDER_COUNT_Q = 0.707;
const MAX_ORDERS = 80;
/** Chosen so that complaints average ~0.1 per customer (only buyers complain). */
const P_COMPLAINT = 0.1;
const P_RESOLVED = 0.7;
/** Open tickets were opened within this many days before today. */
const OPEN_TICKET_MAX_AGE_DAYS = 45;
const P_LANDLINE = 0.03;
const P_EMAIL = 0.3;
const P_DO_NOT_CALL = 0.02;
const P_BAD_CUSTOMER = 0.01;
const P_BAD_ORDER = 0.01;
const P_UNKNOWN_CUSTOMER = 0.005;
const P_BAD_COMPLAINT = 0.01;

const MINUTES_PER_DAY = 1440;

// ---------------------------------------------------------------------------------------------
// Randomness

/** mulberry32: tiny, fast, good enough for test data, and identical on every platform. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class Rng {
  readonly next: () => number;
  constructor(seed: number) {
    this.next = mulberry32(seed);
  }
  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  /** Integer in [lo, hi]. */
  between(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }
  /** Index into a list ordered most-common first: power > 1 favours the head (Zipf-like). */
  skewed(length: number, power: number): number {
    return Math.floor(Math.pow(this.next(), power) * length);
  }
  /** Index by cumulative weights (see cumulative()). */
  weighted(cum: readonly number[]): number {
    const x = this.next() * cum[cum.length - 1];
    let i = 0;
    while (cum[i] <= x) i++;
    return i;
  }
  digits(n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += String(this.int(10));
    return s;
  }
}

export function cumulative(weights: readonly number[]): number[] {
  let sum = 0;
  return weights.map((w) => (sum += w));
}

// ---------------------------------------------------------------------------------------------
// Vocabulary. Lists are ordered most common first where Rng.skewed() is used on them.

/** pinyin:汉字 pairs; pinyin feeds realistic e-mail addresses. */
function pairs(spec: string): Array<[string, string]> {
  return spec.split(' ').map((p) => {
    const [py, han] = p.split(':');
    return [han, py];
  });
}

export const SURNAMES = pairs(
  'wang:王 li:李 zhang:张 liu:刘 chen:陈 yang:杨 huang:黄 zhao:赵 wu:吴 zhou:周 xu:徐 sun:孙 ma:马 ' +
    'zhu:朱 hu:胡 guo:郭 he:何 gao:高 lin:林 luo:罗 zheng:郑 liang:梁 xie:谢 song:宋 tang:唐 xu:许 ' +
    'han:韩 feng:冯 deng:邓 cao:曹 peng:彭 zeng:曾 xiao:肖 tian:田 dong:董 yuan:袁 pan:潘 yu:于 ' +
    'jiang:蒋 cai:蔡 yu:余 du:杜 ye:叶 cheng:程 su:苏 wei:魏 lv:吕 ding:丁 ren:任 shen:沈 yao:姚 ' +
    'lu:卢 jiang:姜 cui:崔 zhong:钟 tan:谭 lu:陆 wang:汪 fan:范 jin:金 shi:石 liao:廖 jia:贾 xia:夏 ' +
    'wei:韦 fu:付 fang:方 bai:白 zou:邹 meng:孟 xiong:熊 qin:秦 qiu:邱 jiang:江 yin:尹 xue:薛 ' +
    'duan:段 lei:雷 hou:侯 long:龙 shi:史 tao:陶 li:黎 he:贺 gu:顾 mao:毛 hao:郝 gong:龚 shao:邵 ' +
    'wan:万 qian:钱 yan:严 wu:武 dai:戴 mo:莫 kong:孔 tang:汤',
);
/** Rare, but they break "the surname is one character" assumptions. */
export const COMPOUND_SURNAMES = pairs('ouyang:欧阳 sima:司马 shangguan:上官 zhuge:诸葛 murong:慕容');
export const GIVEN_CHARS = pairs(
  'wei:伟 fang:芳 na:娜 min:敏 jing:静 li:丽 qiang:强 lei:磊 jun:军 yang:洋 yong:勇 yan:艳 jie:杰 ' +
    'juan:娟 tao:涛 ming:明 chao:超 xiu:秀 xia:霞 ping:平 gang:刚 gui:桂 ying:英 hua:华 hong:红 ' +
    'jian:建 guo:国 wen:文 hui:辉 peng:鹏 yan:燕 ling:玲 ting:婷 xue:雪 mei:梅 lin:琳 chen:晨 yu:宇 ' +
    'hao:浩 ran:然 xin:欣 yi:怡 zi:子 han:涵 xuan:轩 bo:博 jia:佳 qi:琪 si:思 yu:雨 jia:嘉 jun:俊 ' +
    'zhi:志 hai:海 xiao:晓 xiao:小 li:立 xin:新 chun:春 liang:亮 bin:斌 lan:兰 feng:凤 dan:丹 ' +
    'ying:颖 hui:慧 ning:宁 shi:诗 zi:梓 yi:一 hao:昊 tian:天 rui:瑞 tong:彤 xuan:萱 feng:峰 bo:波 ' +
    'fei:飞 yun:云 nan:楠 qian:倩 lei:蕾 xin:鑫 hong:宏 zhen:振 de:德 an:安 mei:美 shu:淑 zhen:珍',
);

/** City and its landline area code; most populous first. */
export const CITIES: ReadonlyArray<readonly [string, string]> = [
  ['上海', '021'], ['北京', '010'], ['深圳', '0755'], ['广州', '020'], ['重庆', '023'], ['成都', '028'],
  ['杭州', '0571'], ['武汉', '027'], ['天津', '022'], ['西安', '029'], ['南京', '025'], ['苏州', '0512'],
  ['郑州', '0371'], ['长沙', '0731'], ['东莞', '0769'], ['青岛', '0532'], ['宁波', '0574'], ['佛山', '0757'],
  ['合肥', '0551'], ['沈阳', '024'], ['昆明', '0871'], ['济南', '0531'], ['厦门', '0592'], ['福州', '0591'],
  ['无锡', '0510'], ['大连', '0411'], ['哈尔滨', '0451'], ['长春', '0431'], ['石家庄', '0311'], ['南宁', '0771'],
  ['贵阳', '0851'], ['南昌', '0791'], ['太原', '0351'], ['温州', '0577'], ['泉州', '0595'], ['兰州', '0931'],
  ['乌鲁木齐', '0991'], ['海口', '0898'], ['呼和浩特', '0471'], ['银川', '0951'],
];

/** Prefixes of real Chinese mobile number blocks (1[3-9]x). */
export const MOBILE_PREFIXES = (
  '130 131 132 133 134 135 136 137 138 139 150 151 152 153 155 156 157 158 159 166 ' +
  '170 171 173 175 176 177 178 180 181 182 183 184 185 186 187 188 189 191 193 195 196 197 198 199'
).split(' ');

const EMAIL_DOMAINS = ['163.com', '126.com', 'sina.com', 'outlook.com', 'foxmail.com', 'gmail.com', 'hotmail.com'];

const TIERS = ['普通会员', '银卡会员', '金卡会员', '钻石会员'];
/** Tier odds for ordinary customers and for frequent buyers: tiers follow spending, loosely. */
const TIER_CUM = cumulative([85, 10, 4, 1]);
const TIER_CUM_FREQUENT = cumulative([50, 25, 18, 7]);

const PREFERRED_TIMES = ['工作日晚上', '周末', '上午', '下午', '工作日白天', '晚上7点后', '中午12点到1点'];

/** Free-text notes; a few carry an ASCII comma, quotes or a newline so CSV quoting is exercised at scale. */
const NOTES = [
  '老客户，多次复购',
  '公司采购，常开专票',
  '只留了家里座机',
  '客户要求只在周末联系',
  '老人用，说话要慢一点',
  '朋友介绍来的, 送过小礼品',
  '曾说"上次安装师傅迟到了", 希望提前电话确认',
  '地址已变更：\n新地址待确认',
  '对价格比较敏感',
  '上次回访反馈很好',
];

/** Product, list price in fen. Household appliances and electronics, as the business sells. */
export const PRODUCTS: ReadonlyArray<readonly [string, number]> = [
  ['智能扫地机器人 X2', 299900], ['空气净化器 Pro', 189900], ['家用净水器', 129900], ['净水器滤芯套装', 39900],
  ['空气净化器滤网 HEPA', 18900], ['无线吸尘器 V8', 159900], ['声波电动牙刷', 29900], ['蓝牙耳机 Air 3', 49900],
  ['智能手表 S3', 129900], ['轻薄笔记本电脑 14英寸', 599900], ['平板电脑 11英寸', 329900], ['嵌入式洗碗机 8套', 399900],
  ['IH电饭煲 4L', 69900], ['破壁料理机', 89900], ['智能门锁 K1', 168000], ['扫地机器人耗材包', 8990],
  ['加湿器', 25900], ['电热水器 60L', 258050], ['变频空调挂机 1.5匹', 359900], ['微单数码相机', 458000],
  ['落地扇', 19900], ['电热水壶', 12900], ['空气炸锅 5L', 39900], ['电动剃须刀', 59900],
  ['智能音箱', 29900], ['无线路由器 AX3000', 34900], ['吹风机', 49900], ['冰箱 对开门 500L', 529900],
  ['滚筒洗衣机 10kg', 309900], ['投影仪 1080P', 269900],
];
/** Cheap items sell far more often than a fridge: weight roughly inverse to price. */
export const PRODUCT_CUM = cumulative(PRODUCTS.map(([, fen]) => 1 / Math.sqrt(fen)));

const CHANNELS = ['天猫', '京东', '门店', '官网', '微信小程序'];
const CHANNEL_CUM = cumulative([30, 25, 20, 10, 15]);

export const CATEGORIES = ['产品质量', '产品功能', '服务体验', '物流配送', '售后响应', '价格费用', '其他'];
export const CATEGORY_CUM = cumulative([30, 20, 15, 12, 12, 7, 4]);

/**
 * Problem descriptions in the customer's own words, with the situation (as the call guide asks).
 * {p} is a product the customer bought, {n} a small number. One per category carries an ASCII
 * comma or quotes, as typed text often does.
 */
export const DESCRIPTIONS: readonly (readonly string[])[] = [
  [
    '{p}用了不到{n}个月就无法开机，之前一直好好的',
    '下雨天{p}进水后无法开机，已经第二次了',
    '{p}刚拆箱就发现外壳有裂缝，包装是完好的',
    '{p}最近经常自动关机，一天好几次, 重启后过一会儿又这样',
    '{p}工作的时候有很大的异响，晚上根本没法用',
  ],
  [
    '{p}的APP老是连不上家里的WiFi，按说明书操作了{n}遍',
    '{p}的定时功能不起作用，设好了到点也不启动',
    '{p}操作太复杂了，家里老人根本不会用，说明书也看不懂',
    '{p}升级固件以后"智能模式"就没了, 客服说新版本不支持',
  ],
  [
    '打了{n}次客服电话才接通，每次都要重新说一遍问题',
    '上门安装的师傅迟到了两个小时，也没提前打电话说一声',
    '门店店员态度很敷衍，问{p}的问题爱答不理',
    '客服说"这个不在保修范围", 但我买了才{n}个月',
  ],
  [
    '{p}订单显示已签收，但我根本没收到，快递员电话打不通',
    '{p}送到时外箱破了，机器侧面有划痕',
    '说好{n}天内送到，结果等了一个多星期，也没人通知',
    '快递放在小区门口就走了, {p}被雨淋湿了',
  ],
  [
    '{p}报修{n}天了还没人上门，每次打电话都说在排单',
    '申请退货{n}天了，退款一直没到账',
    '{p}换货寄回去两周了，一直显示"审核中", 没人处理',
  ],
  [
    '{p}买完没几天就降价{n}十块，申请价保被拒绝了',
    '安装时师傅额外收了{n}十块材料费，下单时没说有这笔钱',
    '优惠券明明显示可用, 结算时却没抵扣',
  ],
  ['发票开错了抬头，联系了{n}次还没重开', '会员积分没到账，{p}是用会员账号买的', '想改收货地址，找不到在哪里改'],
];

// ---------------------------------------------------------------------------------------------
// Dates without Date objects (days since 1970-01-01, proleptic Gregorian; H. Hinnant's algorithm)

// The calendar's own conversion from a day number to [year, month, day].
const civilFromDays = civil;

const pad2 = (n: number): string => (n < 10 ? '0' + n : String(n));

/** Month/day pairs that no calendar has (2/29 only in non-leap years), as typos and bad exports make. */
function impossibleMonthDay(rng: Rng, year: number): [number, number] {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const options: Array<[number, number]> = [[2, 30], [2, 31], [4, 31], [6, 31], [9, 31], [11, 31], [13, 5], [0, 12]];
  if (!leap) options.push([2, 29]);
  return rng.pick(options);
}

/** Signup date in one of the shapes CRMs and Excel produce: 2025-03-05, 2025/3/5, 2025年3月5日, 2025.03.05 14:20. */
function formatSignup(rng: Rng, y: number, m: number, d: number, minuteOfDay: number): string {
  const r = rng.next();
  if (r < 0.4) return `${y}-${pad2(m)}-${pad2(d)}`;
  if (r < 0.7) return `${y}/${m}/${d}`;
  if (r < 0.85) return `${y}年${m}月${d}日`;
  return `${y}.${pad2(m)}.${pad2(d)} ${pad2(Math.floor(minuteOfDay / 60))}:${pad2(minuteOfDay % 60)}`;
}

/** Timestamp as Excel shows it (2026/11/3 14:05) or as the order system prints it (2026-10-28 09:12:33). */
function formatTimestamp(rng: Rng, y: number, m: number, d: number, minuteOfDay: number): string {
  const hh = pad2(Math.floor(minuteOfDay / 60));
  const mm = pad2(minuteOfDay % 60);
  if (rng.next() < 0.7) return `${y}/${m}/${d} ${hh}:${mm}`;
  return `${y}-${pad2(m)}-${pad2(d)} ${hh}:${mm}:${pad2(rng.int(60))}`;
}

/** Helpdesk systems print one fixed shape: 2026-11-19 10:32. */
function helpdeskTime(y: number, m: number, d: number, minuteOfDay: number): string {
  return `${y}-${pad2(m)}-${pad2(d)} ${pad2(Math.floor(minuteOfDay / 60))}:${pad2(minuteOfDay % 60)}`;
}

// ---------------------------------------------------------------------------------------------
// Values

/** 1234567 -> "1,234,567"; hand-rolled because toLocaleString is slow at millions of calls. */
export function groupThousands(n: number): string {
  const s = String(n);
  if (s.length <= 3) return s;
  let out = '';
  const head = s.length % 3;
  if (head) out = s.slice(0, head);
  for (let i = head; i < s.length; i += 3) out += (out ? ',' : '') + s.slice(i, i + 3);
  return out;
}

/** Amount in one of the shapes exports carry: ¥1,299.00 / 399 / 89.90 / 2,580.5元. */
function formatAmount(rng: Rng, fen: number, yen: string): string {
  const yuan = Math.floor(fen / 100);
  const cents = fen % 100;
  const r = rng.next();
  if (r < 0.3) return `${yen}${groupThousands(yuan)}.${pad2(cents)}`;
  if (r < 0.7) return cents === 0 ? String(yuan) : `${yuan}.${pad2(cents)}`;
  if (r < 0.9) return `${yuan}.${pad2(cents)}`;
  const decimals = cents === 0 ? '' : cents % 10 === 0 ? '.' + cents / 10 : '.' + pad2(cents);
  return `${groupThousands(yuan)}${decimals}元`;
}

/** Price actually paid: mostly list price, sometimes a promotion, rarely an odd coupon amount. */
function pricePaid(rng: Rng, listFen: number): number {
  const r = rng.next();
  if (r < 0.7) return listFen;
  if (r < 0.9) return Math.round((listFen * rng.pick([0.95, 0.9, 0.85, 0.8])) / 100) * 100;
  return listFen - rng.pick([10, 50, 100, 1000, 2000]);
}

/** Mobile numbers in the formats people and CRMs write them. */
function formatMobile(rng: Rng, digits: string): string {
  const r = rng.next();
  if (r < 0.7) return digits;
  const a = digits.slice(0, 3);
  const b = digits.slice(3, 7);
  const c = digits.slice(7);
  if (r < 0.8) return `${a} ${b} ${c}`;
  if (r < 0.88) return `+86 ${a}-${b}-${c}`;
  if (r < 0.93) return `86 ${digits}`;
  if (r < 0.97) return `+86${digits}`;
  return `${a}-${b}-${c}`;
}

/** CSV field quoting as Excel does it: only when the text needs it. */
export function csvField(s: string): string {
  if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) return s;
  return '"' + s.replace(/"/g, '""') + '"';
}

// ---------------------------------------------------------------------------------------------
// Output

/** A file written in batches with backpressure, encoded as asked. */
class BatchFile {
  readonly stream: WriteStream;
  // A plain string grown with +=: V8 keeps it as a rope until it is encoded, which is cheaper
  // than pushing thousands of small strings into an array and joining them.
  private pending = '';
  rows = 0;
  doneAt = 0;

  constructor(
    readonly name: string,
    readonly path: string,
    header: string,
    private readonly encode: (text: string) => Buffer,
  ) {
    this.stream = createWriteStream(path);
    this.pending = header + '\n';
  }

  add(line: string): void {
    this.pending += line;
    this.rows++;
  }

  /** Writes what has accumulated; resolves once the stream can take more. */
  async flush(): Promise<void> {
    if (this.pending === '') return;
    const chunk = this.encode(this.pending);
    this.pending = '';
    if (!this.stream.write(chunk)) await once(this.stream, 'drain');
  }

  async close(started: number): Promise<void> {
    await this.flush();
    this.stream.end();
    await finished(this.stream);
    this.doneAt = (performance.now() - started) / 1000;
  }
}

// ---------------------------------------------------------------------------------------------
// Generation

/** Parses YYYY-MM-DD strictly (a real calendar day) into days since the epoch. */
export function parseDay(text: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return undefined;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  const ms = Date.UTC(y, mo - 1, d);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return undefined;
  return ms / 86_400_000;
}

export async function generate(options: GenerateOptions): Promise<GenerateResult> {
  const n = options.customers;
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`customers must be a whole number >= 0, got ${n}`);
  const encoding: OutputEncoding = options.encoding ?? 'utf8';
  const todayText = options.today ?? DEFAULT_TODAY;
  const today = parseDay(todayText);
  if (today === undefined) throw new RangeError(`today must be a date YYYY-MM-DD, got ${todayText}`);
  const rng = new Rng(options.seed ?? DEFAULT_SEED);
  const log = options.log ?? (() => {});

  // GBK has no U+00A5 (iconv-lite would write "?"); Chinese Windows users type the full-width ￥.
  let encode: (text: string) => Buffer = (text) => Buffer.from(text, 'utf8');
  let yen = '¥';
  if (encoding === 'gbk') {
    const iconv = (await import('iconv-lite')).default;
    encode = (text) => iconv.encode(text, 'gbk');
    yen = '￥';
  } else if (encoding !== 'utf8') {
    throw new RangeError(`encoding must be utf8 or gbk, got ${String(encoding)}`);
  }

  mkdirSync(options.out, { recursive: true });
  const started = performance.now();
  const customersFile = new BatchFile('customers.csv', join(options.out, 'customers.csv'), CUSTOMER_HEADER, encode);
  const ordersFile = new BatchFile('orders.csv', join(options.out, 'orders.csv'), ORDER_HEADER, encode);
  const complaintsFile = new BatchFile('complaints.csv', join(options.out, 'complaints.csv'), COMPLAINT_HEADER, encode);
  const files = [customersFile, ordersFile, complaintsFile];

  const bad: BadRowCounts = {
    customerShortPhone: 0,
    customerImpossibleDate: 0,
    orderNegativeAmount: 0,
    orderImpossibleDate: 0,
    orderUnknownCustomer: 0,
    orderOfBadCustomer: 0,
    complaintImpossibleDate: 0,
  };

  const nowMinute = today * MINUTES_PER_DAY; // midnight starting "today": everything is before it
  const firstId = 1_000_000;
  // Order ids are O + yyyymm + a per-month sequence, like the fixtures; a month spans many batches.
  const orderSeqByMonth = new Map<number, number>();
  let complaintSeq = 0;
  // Products bought by the current customer, reused so complaints name something they own.
  const bought: number[] = [];

  for (let i = 0; i < n; i++) {
    const id = `C${firstId + i}`;

    // --- the customer
    const isCompound = rng.chance(0.005);
    const [surname, surnamePy] = isCompound ? rng.pick(COMPOUND_SURNAMES) : SURNAMES[rng.skewed(SURNAMES.length, 2)];
    const [g1, g1Py] = rng.pick(GIVEN_CHARS);
    const twoChars = rng.chance(0.7);
    const [g2, g2Py] = twoChars ? rng.pick(GIVEN_CHARS) : ['', ''];
    const name = surname + g1 + g2;

    const [city, areaCode] = CITIES[rng.skewed(CITIES.length, 1.6)];
    const badKind = rng.chance(P_BAD_CUSTOMER) ? (rng.chance(0.5) ? 'phone' : 'date') : '';

    let phone: string;
    if (badKind === 'phone') {
      // Typical bad input: a truncated number, or a test value typed into a required field.
      phone = rng.pick(['12345', rng.pick(MOBILE_PREFIXES) + rng.digits(4), rng.pick(MOBILE_PREFIXES) + rng.digits(7)]);
      bad.customerShortPhone++;
    } else if (rng.chance(P_LANDLINE)) {
      const local = String(rng.between(2, 8)) + rng.digits(7);
      phone = rng.chance(0.85) ? `${areaCode}-${local}` : `(${areaCode})${local}`;
    } else {
      phone = formatMobile(rng, rng.pick(MOBILE_PREFIXES) + rng.digits(8));
    }

    let email = '';
    if (rng.chance(P_EMAIL)) {
      const r = rng.next();
      if (r < 0.4) email = `${rng.between(1, 9)}${rng.digits(rng.between(5, 9))}@qq.com`;
      else if (r < 0.8) {
        const suffix = rng.chance(0.5) ? String(rng.between(1, 9999)) : '';
        email = `${surnamePy}${g1Py}${g2Py}${suffix}@${rng.pick(EMAIL_DOMAINS)}`;
      }
      else email = `${g1Py}${g2Py}.${surnamePy}@${rng.pick(EMAIL_DOMAINS)}`;
    }

    const signupDay = today - 1 - rng.int(SIGNUP_SPAN_DAYS);
    const signupMinuteOfDay = rng.between(8 * 60, 23 * 60 - 1);
    const [sy, sm, sd] = civilFromDays(signupDay);
    let signup: string;
    if (badKind === 'date') {
      const [bm, bd] = impossibleMonthDay(rng, sy);
      signup = rng.chance(0.5) ? `${sy}-${pad2(bm)}-${pad2(bd)}` : `${sy}/${bm}/${bd}`;
      bad.customerImpossibleDate++;
    } else {
      signup = formatSignup(rng, sy, sm, sd, signupMinuteOfDay);
    }

    // Drawn before the tier because tiers loosely follow how much someone buys.
    let orderCount = 0;
    if (!rng.chance(P_NO_ORDERS)) {
      orderCount = 1 + Math.min(MAX_ORDERS - 1, Math.floor(Math.log(1 - rng.next()) / Math.log(ORDER_COUNT_Q)));
    }
    const tier = TIERS[rng.weighted(orderCount >= 6 ? TIER_CUM_FREQUENT : TIER_CUM)];
    const doNotCall = rng.chance(P_DO_NOT_CALL) ? '是' : '否';
    const preferred = rng.chance(0.45) ? rng.pick(PREFERRED_TIMES) : '';
    const note = rng.chance(0.04) ? csvField(rng.pick(NOTES)) : '';

    customersFile.add(`${id},${name},${phone},${email},${city},${signup},${tier},${doNotCall},${preferred},${note}\n`);

    // --- their orders, at any minute between signup and the end of yesterday
    const signupMinute = signupDay * MINUTES_PER_DAY + signupMinuteOfDay;
    const span = nowMinute - signupMinute;
    let firstOrderMinute = Number.POSITIVE_INFINITY;
    bought.length = 0;
    for (let k = 0; k < orderCount; k++) {
      const at = signupMinute + rng.int(span);
      if (at < firstOrderMinute) firstOrderMinute = at;
      const day = Math.floor(at / MINUTES_PER_DAY);
      const [oy, om, od] = civilFromDays(day);
      const monthKey = oy * 100 + om;
      const seq = (orderSeqByMonth.get(monthKey) ?? 0) + 1;
      orderSeqByMonth.set(monthKey, seq);
      const orderId = `O${monthKey}${String(seq).padStart(6, '0')}`;

      const productIndex = rng.weighted(PRODUCT_CUM);
      bought.push(productIndex);
      const [product, listFen] = PRODUCTS[productIndex];
      const channel = CHANNELS[rng.weighted(CHANNEL_CUM)];

      let customerId = id;
      if (rng.chance(P_UNKNOWN_CUSTOMER)) {
        // Beyond the range of generated ids, so it can never match a customer row.
        customerId = `C${firstId + n + rng.int(1_000_000)}`;
        bad.orderUnknownCustomer++;
      } else if (badKind) {
        bad.orderOfBadCustomer++;
      }

      let time: string;
      let amount = formatAmount(rng, pricePaid(rng, listFen), yen);
      const r = rng.next();
      if (r < P_BAD_ORDER / 2) {
        amount = '-' + amount.replace(yen, ''); // a refund line exported as an order
        bad.orderNegativeAmount++;
        time = formatTimestamp(rng, oy, om, od, at % MINUTES_PER_DAY);
      } else if (r < P_BAD_ORDER) {
        const [bm, bd] = impossibleMonthDay(rng, oy);
        time = formatTimestamp(rng, oy, bm, bd, at % MINUTES_PER_DAY);
        bad.orderImpossibleDate++;
      } else {
        time = formatTimestamp(rng, oy, om, od, at % MINUTES_PER_DAY);
      }
      ordersFile.add(`${orderId},${customerId},${time},${csvField(amount)},${product},${channel}\n`);
    }

    // --- their complaints, only from customers who bought something
    if (orderCount > 0) {
      while (rng.chance(P_COMPLAINT)) {
        // Decided first because a ticket still open is a recent one: a helpdesk does not leave
        // 30% of its tickets open for a year, but it does have a backlog of the last few weeks.
        const willResolve = rng.chance(P_RESOLVED);
        const earliest = willResolve
          ? firstOrderMinute
          : Math.max(firstOrderMinute, nowMinute - OPEN_TICKET_MAX_AGE_DAYS * MINUTES_PER_DAY);
        const opened = earliest + rng.int(Math.max(1, nowMinute - earliest));
        const [cy, cm, cd] = civilFromDays(Math.floor(opened / MINUTES_PER_DAY));
        complaintSeq++;
        const ticket = `GD${cy}${pad2(cm)}${pad2(cd)}${String(complaintSeq).padStart(6, '0')}`;

        let openedText: string;
        if (rng.chance(P_BAD_COMPLAINT)) {
          const [bm, bd] = impossibleMonthDay(rng, cy);
          openedText = helpdeskTime(cy, bm, bd, opened % MINUTES_PER_DAY);
          bad.complaintImpossibleDate++;
        } else {
          openedText = helpdeskTime(cy, cm, cd, opened % MINUTES_PER_DAY);
        }

        // Resolution takes two hours to ten days; one that would land after today is still open.
        let resolvedText = '';
        let status = '处理中';
        if (willResolve) {
          const resolved = opened + rng.between(120, 10 * MINUTES_PER_DAY);
          if (resolved < nowMinute) {
            const [ry, rm, rd] = civilFromDays(Math.floor(resolved / MINUTES_PER_DAY));
            resolvedText = helpdeskTime(ry, rm, rd, resolved % MINUTES_PER_DAY);
            status = rng.chance(0.75) ? '已解决' : '已关闭';
          }
        }

        const category = rng.weighted(CATEGORY_CUM);
        const description = rng
          .pick(DESCRIPTIONS[category])
          .replace('{p}', PRODUCTS[rng.pick(bought)][0])
          .replace('{n}', String(rng.between(2, 5)));
        complaintsFile.add(
          `${ticket},${id},${openedText},${resolvedText},${status},${CATEGORIES[category]},${csvField(description)}\n`,
        );
      }
    }

    if ((i + 1) % BATCH_CUSTOMERS === 0) {
      await Promise.all(files.map((f) => f.flush()));
    }
  }

  await Promise.all(files.map((f) => f.close(started)));
  const summaries: FileSummary[] = files.map((f) => ({
    name: f.name,
    path: f.path,
    rows: f.rows,
    bytes: f.stream.bytesWritten,
    seconds: f.doneAt,
  }));
  for (const s of summaries) {
    log(`${s.name}: ${groupThousands(s.rows)} rows, ${groupThousands(s.bytes)} bytes, ${s.seconds.toFixed(1)} s`);
  }
  return { files: summaries, bad, seconds: (performance.now() - started) / 1000 };
}

// ---------------------------------------------------------------------------------------------
// Command line

const USAGE =
  'usage: node dist/tools/generate.js --customers N --out DIR [--seed 42] [--encoding utf8|gbk] [--today YYYY-MM-DD]\n' +
  '       node dist/tools/generate.js --realistic --out DIR [--customers 3000] [--seed 7] [--date 2026-11-23]';

class UsageProblem extends Error {}

/** Whole number, allowing 1_000_000 or 1,000,000 as people type them. */
function parseCount(flag: string, text: string): number {
  const cleaned = text.replace(/[_,]/g, '');
  if (!/^\d+$/.test(cleaned) || !Number.isSafeInteger(Number(cleaned))) {
    throw new UsageProblem(`${flag} must be a whole number, got "${text}"`);
  }
  return Number(cleaned);
}

export function parseArgs(argv: readonly string[]): GenerateOptions | 'help' {
  const values = new Map<string, string>();
  const known = new Set(['--customers', '--out', '--seed', '--encoding', '--today']);
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '-h' || arg === '--help') return 'help';
    const eq = arg.indexOf('=');
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    if (!known.has(flag)) throw new UsageProblem(`unknown argument "${arg}"`);
    let value: string | undefined;
    if (eq > 0) value = arg.slice(eq + 1);
    else value = argv[++i];
    if (value === undefined || value === '') throw new UsageProblem(`${flag} needs a value`);
    values.set(flag, value);
  }

  const customersText = values.get('--customers');
  if (customersText === undefined) throw new UsageProblem('--customers is required');
  const out = values.get('--out');
  if (out === undefined) throw new UsageProblem('--out is required');
  const options: GenerateOptions = { customers: parseCount('--customers', customersText), out };

  const seed = values.get('--seed');
  if (seed !== undefined) {
    if (!/^-?\d+$/.test(seed)) throw new UsageProblem(`--seed must be an integer, got "${seed}"`);
    options.seed = Number(seed);
  }
  const enc = values.get('--encoding');
  if (enc !== undefined) {
    const e = enc.toLowerCase().replace('-', '');
    if (e !== 'utf8' && e !== 'gbk') throw new UsageProblem(`--encoding must be utf8 or gbk, got "${enc}"`);
    options.encoding = e;
  }
  const today = values.get('--today');
  if (today !== undefined) {
    if (parseDay(today) === undefined) throw new UsageProblem(`--today must be a date like 2026-11-23, got "${today}"`);
    options.today = today;
  }
  return options;
}

async function main(): Promise<void> {
  // `npm run gen -- --realistic --out DIR`: the small realistic back-office exports (backoffice.ts).
  if (process.argv.includes('--realistic')) {
    const { backofficeMain } = await import('./backoffice.js');
    await backofficeMain(process.argv.slice(2));
    return;
  }
  let options: GenerateOptions | 'help';
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (err) {
    if (!(err instanceof UsageProblem)) throw err;
    process.stderr.write(`generate: ${err.message} (${USAGE})\n`);
    process.exitCode = 2;
    return;
  }
  if (options === 'help') {
    process.stdout.write(USAGE + '\n');
    return;
  }
  try {
    await generate({ ...options, log: (line) => process.stderr.write(line + '\n') });
  } catch (err) {
    // Disk full, unwritable directory...: one line, not a stack trace.
    process.stderr.write(`generate: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  }
}

/** True when the module at `url` is the program being run, not a module imported by tests. */
export function isMainModule(url: string): boolean {
  const script = process.argv[1];
  if (!script) return false;
  try {
    return url === pathToFileURL(realpathSync(script)).href;
  } catch {
    return false;
  }
}

if (isMainModule(import.meta.url)) {
  void main();
}
