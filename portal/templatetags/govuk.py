"""GOV.UK Frontend markup for Django forms, pagination and residents' text.

`{% govuk_field form.title %}` renders one field as a GOV.UK form group (label, hint, error
message, input); `{% govuk_fields form %}` renders them all; `{% govuk_error_summary form %}`
renders the error summary that links to each field. These are built-ins (see settings), so no
template needs to load them.
"""

from django import template
from django.template.loader import render_to_string
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from wagtail import hooks

from portal.text import plain_excerpt, render_plain_text

register = template.Library()

_INPUT_CLASS = {
    "textarea": "govuk-textarea",
    "select": "govuk-select",
    "clearablefile": "govuk-file-upload",
    "file": "govuk-file-upload",
}
_MULTI = {"radioselect": "radios", "checkboxselectmultiple": "checkboxes"}


def _field_kind(bound) -> str:
    widget = bound.field.widget
    if getattr(bound.field, "is_honeypot", False):
        return "honeypot"
    if widget.is_hidden:
        return "hidden"
    wt = bound.widget_type
    if wt in _MULTI:
        return _MULTI[wt]
    if wt == "checkbox":
        return "checkbox"
    if wt in ("textarea", "select", "clearablefile", "file"):
        return wt if wt != "clearablefile" else "file"
    if wt == "selectmultiple":
        return "select"
    return "input"


def error_target_id(bound) -> str:
    kind = _field_kind(bound)
    if kind in ("radios", "checkboxes"):
        return f"{bound.auto_id}_0"
    return bound.auto_id


@register.simple_tag
def govuk_field(
    bound,
    label_size="",
    hint="",
    classes="",
    heading=False,
    label="",
    rows=None,
    maxlength=None,
    autocomplete="",
    spellcheck=None,
    extra_attrs=None,
):
    """Render one bound field as a GOV.UK form group."""
    kind = _field_kind(bound)
    if kind == "hidden":
        return bound.as_widget()
    if kind == "honeypot":
        return mark_safe(render_to_string("components/forms/honeypot_group.html", {"field": bound}))  # noqa: S308

    errors = list(bound.errors)
    hint_text = hint or bound.help_text
    describedby = []
    if hint_text:
        describedby.append(f"{bound.auto_id}-hint")
    if errors:
        describedby.append(f"{bound.auto_id}-error")
    max_length = maxlength or getattr(bound.field, "max_length", None)

    widget_html = ""
    options = []
    if kind in ("radios", "checkboxes"):
        for i, sub in enumerate(bound.subwidgets):
            data = sub.data
            options.append(
                {
                    "id": f"{bound.auto_id}_{i}",
                    "name": data["name"],
                    "value": data["value"],
                    "label": data["label"],
                    "checked": data["selected"],
                }
            )
    else:
        # GOV.UK patterns never use placeholders: they vanish as you type and fail contrast.
        bound.field.widget.attrs.pop("placeholder", None)
        attrs = dict(extra_attrs or {})
        css = _INPUT_CLASS.get(bound.widget_type, "govuk-input")
        if kind == "checkbox":
            css = "govuk-checkboxes__input"
        if errors and kind != "checkbox":
            css += f" {css}--error"
        if classes:
            css += f" {classes}"
        attrs["class"] = css
        if describedby:
            attrs["aria-describedby"] = " ".join(describedby)
        if rows:
            attrs["rows"] = rows
        if autocomplete:
            attrs["autocomplete"] = autocomplete
        if spellcheck is not None:
            attrs["spellcheck"] = "true" if spellcheck else "false"
        if kind == "textarea" and max_length:
            attrs.pop("maxlength", None)
        widget_html = bound.as_widget(attrs=attrs)
        if kind == "textarea" and max_length:
            # the character count component warns before the limit instead of truncating
            widget_html = mark_safe(widget_html.replace(f' maxlength="{max_length}"', ""))  # noqa: S308

    context = {
        "field": bound,
        "kind": kind,
        "id": bound.auto_id,
        "label": label or bound.label,
        "label_size": label_size,
        "heading": heading,
        "hint": hint_text,
        "errors": errors,
        "widget_html": widget_html,
        "options": options,
        "describedby": " ".join(describedby),
        "required": bound.field.required,
        "max_length": max_length if kind == "textarea" else None,
    }
    return mark_safe(render_to_string("components/forms/field.html", context))  # noqa: S308


@register.simple_tag
def govuk_fields(form, *exclude):
    """Every field of the form, in order, then the hidden and anti-spam ones."""
    parts = []
    hidden = []
    for bound in form:
        if bound.name in exclude:
            continue
        kind = _field_kind(bound)
        if kind in ("hidden", "honeypot"):
            hidden.append(govuk_field(bound))
        else:
            parts.append(govuk_field(bound))
    return mark_safe("".join(str(p) for p in parts + hidden))  # noqa: S308


@register.simple_tag
def govuk_hidden_fields(form):
    """Only the hidden and anti-spam fields (for templates that lay out fields themselves)."""
    return mark_safe(  # noqa: S308
        "".join(str(govuk_field(b)) for b in form if _field_kind(b) in ("hidden", "honeypot"))
    )


@register.inclusion_tag("components/forms/error_summary.html")
def govuk_error_summary(*forms_):
    items = []
    for form in forms_:
        if not form or not getattr(form, "errors", None):
            continue
        for message in form.non_field_errors():
            items.append({"href": "", "message": message})
        for bound in form:
            for message in bound.errors:
                items.append({"href": f"#{error_target_id(bound)}", "message": message})
    return {"items": items}


@register.inclusion_tag("components/pagination.html", takes_context=True)
def govuk_pagination(context, page_obj, param="page"):
    request = context.get("request")
    query = request.GET.copy() if request is not None else None

    def url_for(number):
        if query is None:
            return f"?{param}={number}"
        q = query.copy()
        q[param] = number
        return "?" + q.urlencode()

    items = []
    if page_obj is not None and page_obj.paginator.num_pages > 1:
        current = page_obj.number
        last = page_obj.paginator.num_pages
        shown = sorted({1, last, current - 1, current, current + 1} & set(range(1, last + 1)))
        previous = None
        for number in shown:
            if previous is not None and number - previous > 1:
                items.append({"ellipsis": True})
            items.append({"number": number, "href": url_for(number), "current": number == current})
            previous = number
    return {
        "page_obj": page_obj,
        "items": items,
        "previous_url": url_for(page_obj.previous_page_number())
        if page_obj and page_obj.has_previous()
        else "",
        "next_url": url_for(page_obj.next_page_number())
        if page_obj and page_obj.has_next()
        else "",
    }


@register.filter
def plain_text(value):
    """Residents' plain text as safe HTML: paragraphs, line breaks, links; nothing else."""
    return render_plain_text(value)


@register.filter
def excerpt(value, length=200):
    return plain_excerpt(value, int(length))


@register.simple_tag(takes_context=True)
def parley_extras(context, obj, place="default"):
    """Fragments higher apps add to a lower app's page (the `parley_object_extras` hook).

    Each hook gets (request, obj, place) and returns HTML or None; e.g. social adds
    "Discussed on X" to a question thread without questions importing social.
    """
    request = context.get("request")
    parts = [fn(request, obj, place) for fn in hooks.get_hooks("parley_object_extras")]
    return mark_safe("".join(str(p) for p in parts if p))  # noqa: S308


@register.simple_tag
def govuk_tag(text, colour=""):
    css = "govuk-tag" + (f" govuk-tag--{colour}" if colour else "")
    return format_html('<strong class="{}">{}</strong>', css, text)


@register.filter
def lookup(mapping, key):
    """`{{ actions|lookup:answer }}`: read a dict keyed by objects (empty list when absent)."""
    if not mapping:
        return []
    try:
        return mapping.get(key, [])
    except AttributeError:
        return []


@register.filter
def humanise(name):
    """`emails_sent_to_you` -> `Emails sent to you`."""
    text = str(name).replace("_", " ").strip()
    return text[:1].upper() + text[1:]
