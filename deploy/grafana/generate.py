#!/usr/bin/env python3
"""Generates the three Grafana dashboards (deploy/grafana/dashboards/*.json) from one description,
so titles, variables, datasource and thresholds stay consistent. Run it after editing and commit
its output: python3 deploy/grafana/generate.py  (--check: exit 1 if the committed JSON differs).

Every query uses the recording rules of deploy/prometheus/rules/recording.yml or metrics the
services export; deploy/operations' DashboardsTest and deploy's MonitoringSystemTest check that.
"""
import json
import os
import sys

DS = {"type": "prometheus", "uid": "hotline-prometheus"}
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "dashboards")
F = 'street=~"$street",policy=~"$policy"'
STAGES = [("RESPOND", "响应 (1 分钟)"), ("DISPATCH_CONTACT", "派单联系 (3 分钟)"),
          ("ON_SCENE", "到场 (8 分钟)"), ("RESOLVE", "办结")]
SERVICES = "intake-service|dispatch-service|sla-timer-service|notification-service"


def on_time(by, flt=F):
    """On-time share of decided stages from the corrected counts, filtered by the variables."""
    c = "hotline:sla_stage_outcome:count{%s}" % flt
    on = "hotline:sla_stage_outcome:count{outcome=\"on_time\",%s}" % flt
    return f"(sum by ({by}) ({on}) or 0 * sum by ({by}) ({c})) / sum by ({by}) ({c})"


def stage_on_time(stage):
    return on_time("stage", F + ',stage="%s"' % stage)


RESPONSE_RATE = on_time("stage", F + ',stage="RESPOND"')
RESOLUTION_RATE = on_time("stage", F + ',stage="RESOLVE"')
SATISFACTION = ('(sum (hotline:intake_follow_ups:count{satisfaction=~"SATISFIED|BASICALLY_SATISFIED",street=~"$street"})'
                ' or 0 * sum (hotline:intake_follow_ups:count{satisfaction!="unreached",street=~"$street"}))'
                ' / sum (hotline:intake_follow_ups:count{satisfaction!="unreached",street=~"$street"})')
REPEAT = "hotline:repeat_call:ratio"


class Board:
    def __init__(self, uid, title, description, tags, refresh="30s", time_from="now-24h", variables=True):
        self.uid, self.title, self.description, self.tags = uid, title, description, tags
        self.refresh, self.time_from, self.variables = refresh, time_from, variables
        self.panels, self.x, self.y, self.row_h = [], 0, 0, 0

    def row(self, title):
        self.newline()
        self.panels.append({"type": "row", "title": title, "collapsed": False, "panels": [],
                            "gridPos": {"x": 0, "y": self.y, "w": 24, "h": 1}})
        self.y += 1

    def newline(self):
        if self.x:
            self.y += self.row_h
            self.x, self.row_h = 0, 0

    def add(self, kind, title, targets, w=6, h=6, unit=None, description="", thresholds=None, decimals=None,
            max_=None, min_=None, legend=True, options=None):
        if self.x + w > 24:
            self.newline()
        defaults = {"color": {"mode": "thresholds" if thresholds else "palette-classic"}}
        if unit:
            defaults["unit"] = unit
        if decimals is not None:
            defaults["decimals"] = decimals
        if max_ is not None:
            defaults["max"] = max_
        if min_ is not None:
            defaults["min"] = min_
        if thresholds:
            defaults["thresholds"] = {"mode": "absolute", "steps": [
                {"color": c, "value": v} for v, c in thresholds]}
        panel = {"type": kind, "title": title, "description": description, "datasource": DS,
                 "gridPos": {"x": self.x, "y": self.y, "w": w, "h": h},
                 "fieldConfig": {"defaults": defaults, "overrides": []},
                 "targets": [dict({"datasource": DS, "refId": chr(65 + i), "expr": e, "legendFormat": l},
                                  **({"instant": True} if kind in ("stat", "bargauge", "gauge", "table") else {}))
                             for i, (e, l) in enumerate(targets)]}
        panel["options"] = options or ({"reduceOptions": {"calcs": ["lastNotNull"], "fields": "", "values": False},
                                        "colorMode": "background", "graphMode": "none", "textMode": "value_and_name"}
                                       if kind == "stat" else
                                       {"reduceOptions": {"calcs": ["lastNotNull"], "fields": "", "values": False},
                                        "orientation": "horizontal", "displayMode": "gradient", "showUnfilled": True}
                                       if kind == "bargauge" else
                                       {"legend": {"showLegend": legend, "displayMode": "list", "placement": "bottom"},
                                        "tooltip": {"mode": "multi"}})
        self.panels.append(panel)
        self.x += w
        self.row_h = max(self.row_h, h)
        return panel

    def json(self):
        for i, p in enumerate(self.panels, 1):
            p["id"] = i
        templating = []
        if self.variables:
            for name, label in (("street", "街道"), ("policy", "时限政策")):
                templating.append({
                    "name": name, "label": label, "type": "query", "datasource": DS,
                    "query": {"query": f"label_values(hotline:sla_stage_outcome:count, {name})",
                              "refId": f"{name}-values"},
                    "definition": f"label_values(hotline:sla_stage_outcome:count, {name})",
                    "includeAll": True, "allValue": ".*", "multi": True, "refresh": 2, "sort": 1,
                    "current": {"selected": True, "text": ["All"], "value": ["$__all"]}})
        return {"uid": self.uid, "title": self.title, "description": self.description, "tags": self.tags,
                "editable": False, "graphTooltip": 1, "schemaVersion": 39, "version": 1,
                "timezone": "Asia/Shanghai", "refresh": self.refresh,
                "time": {"from": self.time_from, "to": "now"},
                "templating": {"list": templating}, "annotations": {"list": []}, "links": [
                    {"title": "运维手册 (docs/operations.md)", "type": "link", "url": "docs/operations.md",
                     "targetBlank": True}],
                "panels": self.panels}


RATE_THRESHOLDS = [(None, "red"), (0.9, "orange"), (0.95, "green")]


def three_rates(b, w=6, h=5):
    b.add("stat", "响应率", [(RESPONSE_RATE, "响应率")], w=w, h=h, unit="percentunit", decimals=1,
          thresholds=RATE_THRESHOLDS, description="响应阶段 (签收, 1 分钟) 按时完成的比例：按时 / 已判定")
    b.add("stat", "按时办结率", [(RESOLUTION_RATE, "按时办结率")], w=w, h=h, unit="percentunit", decimals=1,
          thresholds=RATE_THRESHOLDS, description="办结阶段按时完成的比例 (超时后补证按时的计为按时)")
    b.add("stat", "满意率", [(SATISFACTION, "满意率")], w=w, h=h, unit="percentunit", decimals=1,
          thresholds=[(None, "red"), (0.9, "orange"), (0.98, "green")],
          description="回访中接通的来电人里，满意与基本满意的比例")
    b.add("stat", "重复来电率", [(REPEAT, "重复来电率")], w=w, h=h, unit="percentunit", decimals=1,
          thresholds=[(None, "green"), (0.05, "orange"), (0.15, "red")],
          description="全部来电中作为重复件 (同一来电人或同一地点同类诉求) 登记的比例；不分街道")


def wall():
    b = Board("hotline-wall", "指挥室大屏 · 接诉即办", "街道综合信息指挥室的大屏：三率、各阶段按时率、在办工单、超时与升级",
              ["hotline", "12345", "command-room"], refresh="15s", time_from="now-6h")
    b.row("三率")
    three_rates(b)
    b.row("13830 各阶段按时率")
    for stage, label in STAGES:
        b.add("stat", label, [(stage_on_time(stage), label)], w=6, h=5, unit="percentunit", decimals=1,
              thresholds=RATE_THRESHOLDS, description=f"{stage} 阶段：按时 / 已判定")
    b.row("在办与超时")
    b.add("bargauge", "在办工单 按阶段", [("hotline:sla_clocks_open:max", "{{stage}}")], w=8, h=8,
          description="计时中或已超时未完成的阶段时钟 (全市)")
    b.add("timeseries", "超时 (件/分钟) 按阶段",
          [(f"sum by (stage) (hotline:sla_breaches:rate5m{{{F}}}) * 60", "{{stage}}")], w=8, h=8, unit="short")
    b.add("timeseries", "升级 (次/分钟) 按级别",
          [('sum by (level) (hotline:sla_escalations:rate5m{street=~"$street"}) * 60', "第 {{level}} 级")],
          w=8, h=8, unit="short", description="1 级指挥室主任，2 级街道领导，3 级县中心")
    b.add("timeseries", "来电 (件/分钟)",
          [("sum by (outcome) (hotline:intake_reports:rate5m) * 60", "{{outcome}}")], w=12, h=7, unit="short")
    b.add("timeseries", "派单 (次/分钟) 按单位类型",
          [("sum by (unitType) (hotline:dispatch_assignments:rate5m) * 60", "{{unitType}}")], w=12, h=7, unit="short")
    return b


def county():
    b = Board("hotline-county", "县级督办 · SLA 总览", "县中心督办：三率、各阶段与各政策按时率、按街道/单位类型/政策的超时、重复来电与满意度",
              ["hotline", "12345", "supervisor"], refresh="1m", time_from="now-7d")
    b.row("三率")
    three_rates(b)
    b.row("按时率")
    b.add("bargauge", "各阶段按时率", [(on_time("stage"), "{{stage}}")], w=8, h=8, unit="percentunit",
          decimals=1, min_=0, max_=1, thresholds=RATE_THRESHOLDS)
    b.add("bargauge", "按时率 按政策与阶段", [(on_time("policy, stage"), "{{policy}} {{stage}}")], w=8, h=8,
          unit="percentunit", decimals=1, min_=0, max_=1, thresholds=RATE_THRESHOLDS)
    b.add("bargauge", "按时率 按街道 (办结)", [(on_time("street", F + ',stage="RESOLVE"'), "{{street}}")], w=8, h=8,
          unit="percentunit", decimals=1, min_=0, max_=1, thresholds=RATE_THRESHOLDS)
    b.add("timeseries", "近 1 小时按时率 与目标",
          [("hotline:sla_stage_on_time:ratio_rate1h", "{{stage}}"),
           ("hotline:sla_stage_on_time:target", "目标 {{stage}}")], w=24, h=8, unit="percentunit", min_=0, max_=1)
    b.row("超时分布")
    b.add("bargauge", "超时 按街道", [(f'sum by (street) (hotline:sla_stage_outcome:count{{outcome="breached",{F}}})',
                                  "{{street}}")], w=8, h=8, unit="short")
    b.add("bargauge", "超时 按单位类型",
          [(f'sum by (unit_type) (hotline:sla_stage_outcome:count{{outcome="breached",{F}}})', "{{unit_type}}")],
          w=8, h=8, unit="short", description="none：尚未派单的阶段 (响应、派单联系)")
    b.add("bargauge", "超时 按政策", [(f'sum by (policy) (hotline:sla_stage_outcome:count{{outcome="breached",{F}}})',
                                  "{{policy}}")], w=8, h=8, unit="short")
    b.row("来电人")
    b.add("bargauge", "满意率 按街道",
          [('(sum by (street) (hotline:intake_follow_ups:count{satisfaction=~"SATISFIED|BASICALLY_SATISFIED",street=~"$street"})'
            ' or 0 * sum by (street) (hotline:intake_follow_ups:count{satisfaction!="unreached",street=~"$street"}))'
            ' / sum by (street) (hotline:intake_follow_ups:count{satisfaction!="unreached",street=~"$street"})',
            "{{street}}")], w=12, h=7, unit="percentunit", decimals=1, min_=0, max_=1)
    b.add("bargauge", "回访结果", [('sum by (satisfaction) (hotline:intake_follow_ups:count{street=~"$street"})',
                                "{{satisfaction}}")], w=12, h=7, unit="short")
    return b


def operators():
    b = Board("hotline-operators", "系统运维 · 接诉即办平台", "运维值班：服务状态、Kafka 消费积压、发件箱、计时器延迟、通知失败、JVM/HTTP/数据库连接池",
              ["hotline", "operations"], refresh="30s", time_from="now-3h", variables=False)
    b.row("服务")
    b.add("stat", "在线副本", [(f'sum by (service) (up{{service=~"{SERVICES}"}})', "{{service}}")], w=12, h=5,
          thresholds=[(None, "red"), (1, "orange"), (2, "green")], description="每个服务能被抓取的副本数 (生产至少 2)")
    b.add("timeseries", "HTTP 请求 (次/秒) 按服务", [("sum by (service) (hotline:http_requests:rate5m)", "{{service}}")],
          w=6, h=5, unit="reqps")
    b.add("timeseries", "HTTP 5xx 比例", [("hotline:http_server_errors:ratio_rate5m", "{{service}}")], w=6, h=5,
          unit="percentunit")
    b.row("事件管道")
    b.add("timeseries", "Kafka 消费积压 按消费者", [("hotline:kafka_consumer_lag:max", "{{service}} {{client_id}}")],
          w=8, h=8, unit="short", description="告警 HotlineConsumerLag：超过 1000 条持续 5 分钟")
    b.add("timeseries", "发件箱最早等待事件", [("hotline:outbox_oldest_waiting_seconds:max", "{{service}}")], w=8, h=8,
          unit="s", description="告警 HotlineOutboxBacklog：超过 60 秒持续 2 分钟")
    b.add("timeseries", "发件箱发布 (条/秒)", [("hotline:outbox_published:rate5m", "{{service}}")], w=8, h=8,
          unit="short")
    b.row("SLA 计时器")
    b.add("timeseries", "计时器触发延迟 p99 / p50",
          [("hotline:sla_timer_lateness_seconds:p99_5m", "p99 {{kind}}"),
           ("hotline:sla_timer_lateness_seconds:p50_5m", "p50 {{kind}}")], w=12, h=8, unit="s",
          description="告警 HotlineTimerLate：p99 超过 5 秒")
    b.add("heatmap", "计时器触发延迟分布", [("sum by (le) (increase(sla_timer_lateness_seconds_bucket[5m]))", "{{le}}")],
          w=12, h=8, options={"calculate": False, "yAxis": {"unit": "s"}, "cellGap": 1,
                              "color": {"mode": "scheme", "scheme": "Oranges"}})
    b.row("通知")
    b.add("timeseries", "通知失败 (次/分钟) 按渠道", [("sum by (channel) (hotline:notification_failed:rate5m) * 60", "{{channel}}")],
          w=8, h=7, unit="short")
    b.add("bargauge", "死信通知 按渠道与事件", [("sum by (channel, event_type) (increase(notification_dead_total[$__range]))",
                                        "{{channel}} {{event_type}}")], w=8, h=7, unit="short",
          description="告警 HotlineNotificationDead")
    b.add("timeseries", "投递延迟 p99 按渠道", [("hotline:notification_delivery_latency_seconds:p99_5m", "{{channel}}")],
          w=8, h=7, unit="s")
    b.row("JVM 与数据库")
    b.add("timeseries", "堆内存 按实例", [("hotline:jvm_heap_used_bytes:sum", "{{service}} {{instance}}")], w=6, h=7,
          unit="bytes")
    b.add("timeseries", "GC 暂停 (秒/秒)", [("hotline:jvm_gc_pause_seconds:rate5m", "{{service}}")],
          w=6, h=7, unit="s")
    b.add("timeseries", "数据库连接池 活动/等待",
          [("hotline:db_pool_active:max", "活动 {{service}} {{instance}}"),
           ("hotline:db_pool_awaiting:max", "等待 {{service}} {{instance}}")], w=6, h=7,
          unit="short")
    b.add("timeseries", "组提交 每次提交的写入数/排队",
          [("hotline:group_commit_size:mean_rate5m", "每次提交 {{service}} {{group}}"),
           ("hotline:group_commit_queued:max", "排队 {{service}} {{group}}")], w=6, h=7, unit="short",
          description="同时到达的写入合并为一个事务 (受理工单、审计日志)；排队持续增长说明数据库跟不上")
    return b


def main():
    check = "--check" in sys.argv
    stale = []
    os.makedirs(OUT, exist_ok=True)
    for name, board in (("command-room-wall", wall()), ("county-supervisor", county()), ("operators", operators())):
        text = json.dumps(board.json(), ensure_ascii=False, indent=2) + "\n"
        path = os.path.join(OUT, name + ".json")
        if check:
            if not os.path.exists(path) or open(path, encoding="utf-8").read() != text:
                stale.append(path)
        else:
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
    if stale:
        print("out of date (run python3 deploy/grafana/generate.py):", *stale, sep="\n  ")
        sys.exit(1)


if __name__ == "__main__":
    main()
