from django.db import migrations

TEMPLATES = {
    "question": 'A resident asked: "{title}" Can you help answer it? {url}',
    "answer": 'We\'ve answered "{title}": {answer} Read the full answer: {url}',
    "consultation_opened": "We want your views: {title}. {summary} Have your say by {closes}: {url}",
    "consultation_closing": (
        "Last chance to have your say on {title}. The consultation closes {closes}. {url}"
    ),
    "consultation_outcome": (
        "We asked, you said, we did: the outcome of {title} is published. {summary} {url}"
    ),
    "live_update": "{title}: {summary}",
}


def create(apps, schema_editor):
    PostTemplate = apps.get_model("social", "PostTemplate")
    for kind, text in TEMPLATES.items():
        PostTemplate.objects.get_or_create(kind=kind, defaults={"text": text})


class Migration(migrations.Migration):
    dependencies = [("social", "0001_initial")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
