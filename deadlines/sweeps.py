"""The periodic sweeps by name — one registry read by the Celery tasks, the beat schedule (settings), the
in-process scheduler (manage.py run_scheduler) and the hand-run command (manage.py sweep <name>|all)."""
import time

from creation import milestones as creation_milestones
from notifications import services as notification_services

from . import services

SWEEPS = {
    # name: (service, what it does)
    "lapses": (services.lapse_expired_creations, "创建期满未申请评估 → 待总局决定终止 (办法 第九条、第十二条)"),
    "late_reviews": (services.flag_late_province_reviews, "省级1个月内初审逾期标记 (试行办法 第七条)"),
    "notices": (services.close_expired_notices, "公示期满 → 待认定 (办法 第十五条、第十六条)"),
    "reminders": (services.send_reminders, "期限提醒 (30/7/1 天前)"),
    "annual_reports": (services.flag_overdue_annual_reports, "年度工作情况逾期标记 (试行办法 第十八条)"),
    "email": (notification_services.deliver_pending, "补发待发送邮件"),
    "milestones": (creation_milestones.send_milestone_reminders, "创建任务和阶段的到期提醒、逾期标记 (创建工作方案)"),
}


def run(name, *, progress=None):
    """Run one sweep; returns (counts, seconds)."""
    service, _ = SWEEPS[name]
    started = time.monotonic()
    counts = service(progress=progress)
    return counts, time.monotonic() - started
