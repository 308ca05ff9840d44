from django import template
from django.utils import timezone

register = template.Library()


@register.filter
def govuk_time(value):
    """A time the GOV.UK way: 9am, 5:30pm, midday, 11:59pm (in the site's time zone)."""
    if not value:
        return ""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    if local.hour == 12 and local.minute == 0:
        return "midday"
    if local.hour == 0 and local.minute == 0:
        return "midnight"
    hour = local.hour % 12 or 12
    suffix = "am" if local.hour < 12 else "pm"
    return f"{hour}{suffix}" if local.minute == 0 else f"{hour}:{local.minute:02d}{suffix}"
