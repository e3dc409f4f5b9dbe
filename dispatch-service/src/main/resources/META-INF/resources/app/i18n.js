// Words of the screens: zh-CN first, English second. Times are shown in the services' zone
// (hotline.time-zone via /api/ui/config, default Asia/Shanghai) whatever the browser's own zone.
// t('key', {var}) fills {var}; a missing English word falls back to Chinese.

const ZH = {
  'app.title': '接诉即办 · 街道指挥',
  'lang.switch': 'English',
  'lang.label': '切换语言',
  'signin.title': '登录',
  'signin.lead': '请使用单位统一身份认证登录。',
  'signin.oidc': '统一身份认证登录',
  'signin.demo': '本地演示账号（仅开发环境）',
  'signin.demo.note': '以下账号由开发密钥签发令牌，生产环境不可用。',
  'signin.as': '以 {name} 登录',
  'signin.none': '未配置登录方式：请管理员设置身份提供方（OIDC）。',
  'signin.expired': '登录已过期，请重新登录。',
  'signin.signedout': '您已退出登录。',
  'signin.norole': '您的账号没有可用的界面（{roles}）。话务员请使用工单接口。',
  'signin.failed': '登录失败：{detail}',
  'signout': '退出',
  'user.roles.dispatcher': '调度员', 'user.roles.supervisor': '督办员', 'user.roles.field': '处置队员',
  'user.roles.operator': '话务员', 'user.roles.admin': '管理员', 'user.roles.monitoring': '监测',
  'live.on': '实时连接', 'live.off': '重新连接中…',
  'console.title': '综合信息指挥室', 'console.queue': '工单队列（按最近时限排序）',
  'console.queue.empty': '当前没有待办工单。', 'console.escalations': '告警与督办（最新在前）',
  'console.escalations.empty': '暂无告警。', 'console.pick': '从队列中选择一张工单查看详情。',
  'col.light': '时限灯', 'col.remaining': '剩余时间', 'col.stage': '阶段', 'col.category': '类别',
  'col.address': '地址', 'col.lead': '主办单位', 'col.reported': '来电时间', 'col.unit': '单位',
  'col.role': '角色', 'col.status': '状态', 'col.deadline': '时限', 'col.level': '督办级别',
  'col.time': '时间', 'col.what': '事项', 'col.source': '来源', 'col.reasons': '推荐理由',
  'col.choice': '派单方式', 'col.met': '完成时间',
  'light.GREEN': '正常', 'light.YELLOW': '预警', 'light.RED': '超时', 'light.GREY': '未计时',
  'stage.NEW': '待签收', 'stage.TAKEN': '已签收', 'stage.DISPATCHED': '已派单', 'stage.ON_SCENE': '已到场',
  'stage.RESOLVED': '已办结待归档', 'stage.CLOSED': '已归档', 'stage.CANCELLED': '已撤销',
  'sla.RESPOND': '签收', 'sla.DISPATCH_CONTACT': '派单并联系群众', 'sla.ON_SCENE': '到场', 'sla.RESOLVE': '办结',
  'clock.PENDING': '未开始', 'clock.RUNNING': '计时中', 'clock.MET': '按时完成', 'clock.MET_LATE': '超时完成',
  'clock.BREACHED': '已超时', 'clock.STOPPED': '已停止',
  'role.LEAD': '主办', 'role.ASSIST': '协办', 'choice.none': '不派',
  'as.OFFERED': '待签收', 'as.ACKNOWLEDGED': '已签收', 'as.ON_SCENE': '已到场', 'as.DONE': '已办结',
  'as.RETURNED': '已退单', 'as.WITHDRAWN': '已撤回', 'as.LAPSED': '超时未签收',
  'ticket.report': '诉求', 'ticket.caller': '来电人', 'ticket.location': '位置', 'ticket.clocks': '各阶段时限',
  'ticket.assignments': '派单情况', 'ticket.timeline': '全过程记录', 'ticket.actions': '处置',
  'ticket.recommend': '推荐单位', 'ticket.returns': '待决定的退单', 'ticket.extensions': '延期申请',
  'ticket.whistle': '吹哨报到', 'ticket.recommend.more': '增派协办 / 转派',
  'why.handles': '承办类别：{c}', 'why.grid': '覆盖网格 {g}', 'why.street': '属{s}', 'why.shift': '在岗（班次 {s}）',
  'why.available': '空闲', 'why.busy': '忙碌', 'why.load': '在办 {a}/{b}',
  'why.distance': '距离 {m} 米', 'ticket.repeats': '重复来电 {n} 次', 'ticket.closed': '工单已归档。',
  'ticket.source.HOTLINE_12345': '12345热线', 'ticket.source.HANDOVER_110': '110移交（双非警情）',
  'ticket.source.APP': '应用上报', 'ticket.source.GRID_PATROL': '网格巡查',
  'ticket.complexity.SIMPLE': '简单', 'ticket.complexity.GENERAL': '一般', 'ticket.complexity.COMPLEX': '复杂',
  'ticket.map.open': '在地图中打开', 'ticket.map.none': '未提供坐标', 'ticket.map.legend': '● 工单位置　▲ 单位驻地',
  'ticket.callerHidden': '来电人信息仅对本街道调度员可见。',
  'act.take': '签收', 'act.contact': '已联系来电人', 'act.dispatch': '派单', 'act.whistle': '吹哨',
  'act.redispatch': '转派', 'act.close': '办结归档', 'act.accept': '同意退单并改派', 'act.reject': '驳回退单',
  'act.approve': '批准延期', 'act.deny': '不予延期', 'act.refresh': '刷新',
  'act.reason': '原因', 'act.note': '备注', 'act.newDeadline': '新时限（可选）',
  'act.redispatch.auto': '下一推荐单位', 'act.done': '已完成：{what}',
  'act.dispatch.needLead': '请选择一个主办单位。', 'act.awaitSupervisor': '等待督办员审批',
  'err.403': '您无权查看或操作：{detail}', 'err.404': '未找到：{detail}', 'err.409': '操作未执行：{detail}',
  'err.400': '填写有误：{detail}', 'err.network': '网络不通，请稍后重试。', 'err.other': '出错了（{status}）：{detail}',
  'err.ticket403': '这张工单不在您的辖区，无法打开。',
  'tl.received': '工单受理', 'tl.taken': '指挥室签收', 'tl.dispatched': '派单', 'tl.contacted': '已联系来电人',
  'tl.onScene': '到场', 'tl.resolved': '办结', 'tl.closed': '归档', 'tl.cancelled': '撤销',
  'tl.assignment': '{unit}（{role}）{what}', 'tl.met': '「{stage}」{state}', 'tl.deadline': '「{stage}」时限',
  'tl.notified': '通知 {who}', 'tl.intake': '受理', 'tl.dispatch': '调度', 'tl.sla': '时限', 'tl.notify': '通知',
  'field.title': '现场处置', 'field.mine': '本单位的派单', 'field.empty': '本单位目前没有待处置的派单。',
  'field.ack': '签收', 'field.arrive': '到场', 'field.resolve': '办结', 'field.return': '退单',
  'field.extend': '申请延期', 'field.submit': '提交', 'field.cancel': '取消',
  'field.outcome': '处理结果', 'field.note': '处理情况', 'field.returnReason': '退单原因',
  'field.extendReason': '延期理由', 'field.proposed': '申请延至', 'field.ackBy': '签收截止',
  'field.distance': '距工单位置 {m} 米', 'field.flagged': '⚠ 位置偏离工单地点（{m} 米），已提示指挥室',
  'field.noGeo': '未获取定位，已按无坐标上报到场。', 'field.caller': '来电人电话',
  'field.notYours': '此派单不属于您的单位，或已结束。', 'field.linkTitle': '一键签收',
  'field.linkLead': '短信中的签收链接：确认后即以您的名义签收此派单。', 'field.linkConfirm': '确认签收',
  'field.linkDone': '已签收。登录后可继续上报到场和办结。', 'field.linkSignin': '登录处置页面',
  'field.slow': '加载中…',
  'outcome.SOLVED': '已解决', 'outcome.PARTIALLY_SOLVED': '部分解决', 'outcome.EXPLAINED': '已解释说明',
  'outcome.NOT_SOLVABLE': '无法解决', 'outcome.NO_PROBLEM_FOUND': '现场未发现问题',
  'return.NOT_OUR_JURISDICTION': '不属本辖区', 'return.NOT_OUR_RESPONSIBILITY': '不属本单位职责',
  'return.WRONG_ADDRESS': '地址错误', 'return.DUPLICATE': '重复工单', 'return.CANNOT_REACH_CALLER': '联系不上来电人',
  'return.OTHER': '其他',
  'sup.title': '督办', 'sup.escalations': '本辖区告警与督办', 'sup.decisions': '待我决定',
  'sup.decisions.empty': '没有待决定的延期或退单。', 'sup.rates': '各阶段按时率',
  'sup.today': '今日', 'sup.month': '本月', 'sup.onTime': '按时', 'sup.breached': '超时', 'sup.rate': '按时率',
  'sup.noData': '暂无数据', 'sup.extension': '延期申请：{stage}，申请延至 {when}，理由：{reason}',
  'sup.return': '退单：{unit}，原因：{reason}',
  'street.wukang': '武康街道', 'street.qujiang': '曲江街道', 'street.county': '全县',
  'ev.sla.warning': '预警', 'ev.sla.breached': '超时', 'ev.sla.escalated': '督办', 'ev.ticket.ping-pong': '反复退单',
  'ev.assignment.returned': '退单', 'ev.extension.requested': '延期申请', 'ev.assignment.ack-lapsed': '超时未签收',
  'ev.escalation.action-taken': '督办处置', 'ev.assignment.created': '派单', 'ev.ticket.repeat-reported': '重复来电',
  'level': '{n}级',
  'ago.now': '刚刚', 'overdue': '超时 {t}',
};

const EN = {
  'app.title': 'Handle on receipt · street command',
  'lang.switch': '中文', 'lang.label': 'Switch language',
  'signin.title': 'Sign in', 'signin.lead': 'Sign in with your organisation account.',
  'signin.oidc': 'Sign in with the identity provider', 'signin.demo': 'Local demo users (development only)',
  'signin.demo.note': 'Tokens for these users are signed with the development key; production refuses them.',
  'signin.as': 'Sign in as {name}', 'signin.none': 'No sign-in is configured: ask an administrator to set the identity provider (OIDC).',
  'signin.expired': 'Your sign-in has expired. Please sign in again.', 'signin.signedout': 'You have signed out.',
  'signin.norole': 'Your account has no screen here ({roles}). Operators use the ticket API.',
  'signin.failed': 'Sign-in failed: {detail}', 'signout': 'Sign out',
  'user.roles.dispatcher': 'Dispatcher', 'user.roles.supervisor': 'Supervisor', 'user.roles.field': 'Field member',
  'user.roles.operator': 'Operator', 'user.roles.admin': 'Admin', 'user.roles.monitoring': 'Monitoring',
  'live.on': 'Live', 'live.off': 'Reconnecting…',
  'console.title': 'Command room', 'console.queue': 'Queue (nearest deadline first)',
  'console.queue.empty': 'No open tickets.', 'console.escalations': 'Alerts and escalations (newest first)',
  'console.escalations.empty': 'No alerts.', 'console.pick': 'Pick a ticket in the queue to see it.',
  'col.light': 'Light', 'col.remaining': 'Time left', 'col.stage': 'Stage', 'col.category': 'Category',
  'col.address': 'Address', 'col.lead': 'Lead unit', 'col.reported': 'Reported', 'col.unit': 'Unit',
  'col.role': 'Role', 'col.status': 'Status', 'col.deadline': 'Deadline', 'col.level': 'Escalation',
  'col.time': 'Time', 'col.what': 'What', 'col.source': 'Source', 'col.reasons': 'Why recommended',
  'col.choice': 'Dispatch as', 'col.met': 'Met at',
  'light.GREEN': 'On time', 'light.YELLOW': 'Warning', 'light.RED': 'Overdue', 'light.GREY': 'Not running',
  'stage.NEW': 'To take', 'stage.TAKEN': 'Taken', 'stage.DISPATCHED': 'Dispatched', 'stage.ON_SCENE': 'On scene',
  'stage.RESOLVED': 'Resolved, to close', 'stage.CLOSED': 'Closed', 'stage.CANCELLED': 'Cancelled',
  'sla.RESPOND': 'Respond', 'sla.DISPATCH_CONTACT': 'Dispatch and contact', 'sla.ON_SCENE': 'On scene', 'sla.RESOLVE': 'Resolve',
  'clock.PENDING': 'Pending', 'clock.RUNNING': 'Running', 'clock.MET': 'Met', 'clock.MET_LATE': 'Met late',
  'clock.BREACHED': 'Breached', 'clock.STOPPED': 'Stopped',
  'role.LEAD': 'Lead', 'role.ASSIST': 'Assist', 'choice.none': 'Not sent',
  'as.OFFERED': 'Offered', 'as.ACKNOWLEDGED': 'Acknowledged', 'as.ON_SCENE': 'On scene', 'as.DONE': 'Done',
  'as.RETURNED': 'Returned', 'as.WITHDRAWN': 'Withdrawn', 'as.LAPSED': 'Lapsed',
  'ticket.report': 'Report', 'ticket.caller': 'Caller', 'ticket.location': 'Location', 'ticket.clocks': 'Stage clocks',
  'ticket.assignments': 'Assignments', 'ticket.timeline': 'Timeline', 'ticket.actions': 'Actions',
  'ticket.recommend': 'Recommended units', 'ticket.returns': 'Returns to decide', 'ticket.extensions': 'Extension requests',
  'ticket.whistle': 'Whistle: who reported in', 'ticket.recommend.more': 'Add an assisting unit / re-dispatch',
  'why.handles': 'handles {c}', 'why.grid': 'covers grid {g}', 'why.street': 'in {s}', 'why.shift': 'on duty (shift {s})',
  'why.available': 'available', 'why.busy': 'busy', 'why.load': 'load {a}/{b}',
  'why.distance': '{m} m away', 'ticket.repeats': 'Repeat calls: {n}', 'ticket.closed': 'The ticket is closed.',
  'ticket.source.HOTLINE_12345': '12345 hotline', 'ticket.source.HANDOVER_110': '110 hand-over',
  'ticket.source.APP': 'App', 'ticket.source.GRID_PATROL': 'Grid patrol',
  'ticket.complexity.SIMPLE': 'Simple', 'ticket.complexity.GENERAL': 'General', 'ticket.complexity.COMPLEX': 'Complex',
  'ticket.map.open': 'Open in a map', 'ticket.map.none': 'No coordinates', 'ticket.map.legend': '● ticket　▲ unit base',
  'ticket.callerHidden': "The caller's details are shown to the street's dispatchers only.",
  'act.take': 'Take', 'act.contact': 'Caller contacted', 'act.dispatch': 'Dispatch', 'act.whistle': 'Whistle',
  'act.redispatch': 'Re-dispatch', 'act.close': 'Close', 'act.accept': 'Accept return, re-dispatch', 'act.reject': 'Reject return',
  'act.approve': 'Approve', 'act.deny': 'Deny', 'act.refresh': 'Refresh',
  'act.reason': 'Reason', 'act.note': 'Note', 'act.newDeadline': 'New deadline (optional)',
  'act.redispatch.auto': 'Next recommendation', 'act.done': 'Done: {what}',
  'act.dispatch.needLead': 'Choose one lead unit.', 'act.awaitSupervisor': 'Waiting for a supervisor',
  'err.403': 'You may not see or do this: {detail}', 'err.404': 'Not found: {detail}', 'err.409': 'Not done: {detail}',
  'err.400': 'Please check the input: {detail}', 'err.network': 'No connection. Please try again.',
  'err.other': 'Something went wrong ({status}): {detail}', 'err.ticket403': 'This ticket is outside your area and cannot be opened.',
  'tl.received': 'Ticket received', 'tl.taken': 'Taken by the command room', 'tl.dispatched': 'Dispatched',
  'tl.contacted': 'Caller contacted', 'tl.onScene': 'On scene', 'tl.resolved': 'Resolved', 'tl.closed': 'Closed',
  'tl.cancelled': 'Cancelled', 'tl.assignment': '{unit} ({role}) {what}', 'tl.met': '"{stage}" {state}',
  'tl.deadline': '"{stage}" deadline', 'tl.notified': 'Told {who}', 'tl.intake': 'Intake', 'tl.dispatch': 'Dispatch',
  'tl.sla': 'Clock', 'tl.notify': 'Notice',
  'field.title': 'Field', 'field.mine': "My unit's assignments", 'field.empty': 'Your unit has no open assignments.',
  'field.ack': 'Acknowledge', 'field.arrive': 'Arrived', 'field.resolve': 'Report result', 'field.return': 'Return',
  'field.extend': 'Ask for more time', 'field.submit': 'Submit', 'field.cancel': 'Cancel',
  'field.outcome': 'Outcome', 'field.note': 'What was done', 'field.returnReason': 'Reason for returning',
  'field.extendReason': 'Why', 'field.proposed': 'Until', 'field.ackBy': 'Acknowledge by',
  'field.distance': '{m} m from the ticket', 'field.flagged': '⚠ Far from the ticket ({m} m): the command room sees a flag',
  'field.noGeo': 'No position: arrival reported without coordinates.', 'field.caller': "Caller's phone",
  'field.notYours': "This assignment is not your unit's, or it has ended.", 'field.linkTitle': 'One-tap acknowledgement',
  'field.linkLead': 'The link from your text message: confirming acknowledges this assignment in your name.',
  'field.linkConfirm': 'Acknowledge', 'field.linkDone': 'Acknowledged. Sign in to report arrival and the result.',
  'field.linkSignin': 'Sign in', 'field.slow': 'Loading…',
  'outcome.SOLVED': 'Solved', 'outcome.PARTIALLY_SOLVED': 'Partly solved', 'outcome.EXPLAINED': 'Explained',
  'outcome.NOT_SOLVABLE': 'Cannot be solved', 'outcome.NO_PROBLEM_FOUND': 'No problem found',
  'return.NOT_OUR_JURISDICTION': 'Not our area', 'return.NOT_OUR_RESPONSIBILITY': 'Not our responsibility',
  'return.WRONG_ADDRESS': 'Wrong address', 'return.DUPLICATE': 'Duplicate', 'return.CANNOT_REACH_CALLER': 'Cannot reach the caller',
  'return.OTHER': 'Other',
  'sup.title': 'Supervision', 'sup.escalations': 'Alerts and escalations in my area', 'sup.decisions': 'Waiting for me',
  'sup.decisions.empty': 'No extension or return to decide.', 'sup.rates': 'On-time rate per stage',
  'sup.today': 'Today', 'sup.month': 'This month', 'sup.onTime': 'On time', 'sup.breached': 'Breached', 'sup.rate': 'On-time rate',
  'sup.noData': 'No data yet', 'sup.extension': 'Extension of {stage} until {when}: {reason}',
  'sup.return': 'Return by {unit}: {reason}',
  'street.wukang': 'Wukang street', 'street.qujiang': 'Qujiang street', 'street.county': 'the county',
  'ev.sla.warning': 'Warning', 'ev.sla.breached': 'Overdue', 'ev.sla.escalated': 'Escalated', 'ev.ticket.ping-pong': 'Ping-pong',
  'ev.assignment.returned': 'Returned', 'ev.extension.requested': 'Extension asked', 'ev.assignment.ack-lapsed': 'Not acknowledged',
  'ev.escalation.action-taken': 'Escalation action', 'ev.assignment.created': 'Dispatched', 'ev.ticket.repeat-reported': 'Repeat call',
  'level': 'level {n}', 'ago.now': 'now', 'overdue': 'overdue {t}',
};

const DICTS = { 'zh-CN': ZH, en: EN };
/** The zone every time is shown and entered in: hotline.time-zone, from /api/ui/config (setZone). */
export let ZONE = 'Asia/Shanghai';

/** Takes the services' configured zone (loadConfig calls it); formatters are rebuilt for it. */
export function setZone(zone) {
  if (!zone || zone === ZONE) return;
  ZONE = zone;
  for (const k of Object.keys(fmt)) delete fmt[k];
}

/** The zone's offset from UTC at an instant, in ms (daylight saving included). */
function offsetAt(ms) {
  const p = Object.fromEntries(new Intl.DateTimeFormat('en-US', { timeZone: ZONE, hourCycle: 'h23',
    year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' })
    .formatToParts(new Date(ms)).map(x => [x.type, x.value]));
  return Date.UTC(+p.year, +p.month - 1, +p.day, +p.hour, +p.minute, +p.second) - Math.floor(ms / 1000) * 1000;
}

/** A local date-time in ZONE ('YYYY-MM-DDTHH:mm', a datetime-local value) as an ISO instant. */
export function localToIso(local) {
  const wall = Date.parse((local.length === 16 ? local + ':00' : local) + 'Z');
  const first = wall - offsetAt(wall);
  return new Date(wall - offsetAt(first)).toISOString();
}

/** Midnight in ZONE of the day (or of the month's first day) that contains now, as an ISO instant. */
export function startOfLocal(kind) {
  const p = Object.fromEntries(new Intl.DateTimeFormat('en-CA', { timeZone: ZONE, year: 'numeric', month: '2-digit', day: '2-digit' })
    .formatToParts(new Date()).map(x => [x.type, x.value]));
  return localToIso(`${p.year}-${p.month}-${kind === 'month' ? '01' : p.day}T00:00`);
}

export function lang() {
  const l = localStorage.getItem('hotline.lang');
  return l === 'en' ? 'en' : 'zh-CN';
}

export function setLang(l) {
  localStorage.setItem('hotline.lang', l);
}

export function t(key, vars = {}) {
  const d = DICTS[lang()];
  let s = d[key] ?? ZH[key] ?? key;
  for (const [k, v] of Object.entries(vars)) s = s.split('{' + k + '}').join(v ?? '');
  return s;
}

/** Category names come from intake's catalogue (zh and en); unknown codes show as they are. */
const categories = new Map();
export function setCategories(list) {
  for (const c of list || []) categories.set(c.code, c);
}
export function category(code) {
  const c = categories.get(code);
  if (!c) return code || '';
  return lang() === 'en' ? (c.nameEn || c.name_en || c.code) : (c.nameZh || c.name_zh || c.code);
}

export function street(code) {
  const k = 'street.' + code;
  const s = t(k);
  return s === k ? code : s;
}

const fmt = {};
function formatter(kind) {
  const key = lang() + kind;
  if (!fmt[key]) {
    const opts = { timeZone: ZONE, hour12: false };
    if (kind === 'time') Object.assign(opts, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
    if (kind === 'dt') Object.assign(opts, { month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    if (kind === 'date') Object.assign(opts, { year: 'numeric', month: '2-digit', day: '2-digit' });
    fmt[key] = new Intl.DateTimeFormat(lang() === 'en' ? 'en-GB' : 'zh-CN', opts);
  }
  return fmt[key];
}

/** A moment in ZONE: MM-dd HH:mm:ss (time only when it is today there). */
export function when(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  if (isNaN(d)) return '';
  const today = formatter('date').format(new Date()) === formatter('date').format(d);
  return today ? formatter('time').format(d) : formatter('dt').format(d);
}

/** Seconds as a countdown: 2:05, 1:02:05, or "3天" beyond a day; negative means overdue. */
export function countdown(seconds) {
  const neg = seconds < 0;
  let s = Math.abs(Math.trunc(seconds));
  let out;
  if (s >= 86400) {
    const d = Math.floor(s / 86400), h = Math.floor((s % 86400) / 3600);
    out = lang() === 'en' ? `${d}d ${h}h` : `${d}天${h}小时`;
  } else {
    const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = s % 60;
    out = (h ? h + ':' + String(m).padStart(2, '0') : String(m)) + ':' + String(r).padStart(2, '0');
  }
  return neg ? t('overdue', { t: out }) : out;
}

/** Fills every [data-i18n] element's text and [data-i18n-label] aria-label; sets <html lang>. */
export function applyStatic(root = document) {
  document.documentElement.lang = lang();
  root.querySelectorAll('[data-i18n]').forEach(el => { el.textContent = t(el.dataset.i18n); });
  root.querySelectorAll('[data-i18n-label]').forEach(el => { el.setAttribute('aria-label', t(el.dataset.i18nLabel)); });
}
