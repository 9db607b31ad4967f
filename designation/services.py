"""Writers for stages 9–10: designation and the sanctions of 办法 第二十二条."""
from .models import Designation, Sanction


def record_designation(*, case, ctx, move):
    Designation.objects.create(case=case, designated=move.name == "designate", decided_on=ctx.today,
                               comment=ctx.payload.get("comment", ""), decided_by=ctx.actor, decided_at=ctx.now)


def record_sanction(*, case, ctx, move):
    Sanction.objects.create(case=case, kind=move.name, ground=ctx.payload["ground"], comment=ctx.payload["comment"],
                            decided_by=ctx.actor, decided_at=ctx.now)
