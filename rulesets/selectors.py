from .models import RuleSet


def rule_set_in_force(on_date):
    """The rule set a new case is bound to: the latest one in force on that day."""
    return (
        RuleSet.objects.filter(effective_from__lte=on_date)
        .exclude(repealed_on__lte=on_date)
        .order_by("-effective_from")
        .first()
    )
