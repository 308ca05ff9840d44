"""StreamField blocks for consultation pages: the body, and the questions officers ask."""

from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock

from portal.blocks import BaseStreamBlock

AGREE_SCALE = [
    "Strongly agree",
    "Agree",
    "Neither agree nor disagree",
    "Disagree",
    "Strongly disagree",
]
DONT_KNOW = "Don't know"


class OptionBlock(blocks.StructBlock):
    """One of the options a consultation puts to people."""

    title = blocks.CharBlock(max_length=120, help_text="For example 'Option A: keep Saturdays'.")
    description = blocks.RichTextBlock(features=["bold", "link", "ul"])

    class Meta:
        icon = "list-ol"


class OptionsBlock(blocks.StructBlock):
    heading = blocks.CharBlock(max_length=120, default="The options")
    options = blocks.ListBlock(OptionBlock(), min_num=1)

    class Meta:
        icon = "list-ol"
        template = "components/streamfield/options_block.html"
        preview_value = {
            "heading": "The options",
            "options": [
                {"title": "Option A", "description": "<p>Keep things as they are.</p>"},
                {"title": "Option B", "description": "<p>Open later on weekdays.</p>"},
            ],
        }


class KeyFactBlock(blocks.StructBlock):
    label = blocks.CharBlock(max_length=80, help_text="For example 'Visits last year'.")
    value = blocks.CharBlock(max_length=40, help_text="For example '212,000'.")


class KeyFactsBlock(blocks.StructBlock):
    """A short list of the figures behind a proposal (a GOV.UK summary list)."""

    heading = blocks.CharBlock(max_length=120, default="Key facts")
    facts = blocks.ListBlock(KeyFactBlock(), min_num=1)

    class Meta:
        icon = "table"
        template = "components/streamfield/key_facts_block.html"
        preview_value = {
            "heading": "Key facts",
            "facts": [{"label": "Visits last year", "value": "212,000"}],
        }


class ConsultationStreamBlock(BaseStreamBlock):
    options = OptionsBlock()
    key_facts = KeyFactsBlock()


# Response questions. Each block's `id` (a UUID kept by the StreamField) is the key answers are
# stored under, so editing a question's wording later does not orphan earlier answers.


class _QuestionBlock(blocks.StructBlock):
    question = blocks.CharBlock(max_length=250)
    hint = blocks.CharBlock(
        required=False, max_length=300, help_text="Optional help shown under the question."
    )
    required = blocks.BooleanBlock(
        required=False, default=False, help_text="People must answer before they can send."
    )

    kind = ""
    kind_label = ""

    class Meta:
        icon = "help"


class ShortTextQuestionBlock(_QuestionBlock):
    max_length = blocks.IntegerBlock(default=200, min_value=10, max_value=500)

    kind = "short_text"
    kind_label = "Short text"

    class Meta:
        icon = "pilcrow"
        label = "Short text question"


class LongTextQuestionBlock(_QuestionBlock):
    max_length = blocks.IntegerBlock(default=3000, min_value=100, max_value=10000)

    kind = "long_text"
    kind_label = "Long text"

    class Meta:
        icon = "doc-full"
        label = "Long text question"


class SingleChoiceQuestionBlock(_QuestionBlock):
    choices = blocks.ListBlock(blocks.CharBlock(max_length=150), min_num=2)

    kind = "single_choice"
    kind_label = "Single choice"

    class Meta:
        icon = "radio-full"
        label = "Single choice question"


class MultipleChoiceQuestionBlock(_QuestionBlock):
    choices = blocks.ListBlock(blocks.CharBlock(max_length=150), min_num=2)

    kind = "multiple_choice"
    kind_label = "Multiple choice"

    class Meta:
        icon = "tasks"
        label = "Multiple choice question"


class AgreeScaleQuestionBlock(_QuestionBlock):
    include_dont_know = blocks.BooleanBlock(
        required=False, default=True, help_text="Add a 'Don't know' answer."
    )

    kind = "agree_scale"
    kind_label = "Agree or disagree"

    class Meta:
        icon = "order"
        label = "Agree or disagree question"


class ResponseQuestionsBlock(blocks.StreamBlock):
    short_text = ShortTextQuestionBlock()
    long_text = LongTextQuestionBlock()
    single_choice = SingleChoiceQuestionBlock()
    multiple_choice = MultipleChoiceQuestionBlock()
    agree_scale = AgreeScaleQuestionBlock()


CHOICE_KINDS = {"single_choice", "multiple_choice", "agree_scale"}


def question_choices(block_type: str, value) -> list[str]:
    """The answers a choice question offers, in order (empty for text questions)."""
    if block_type in ("single_choice", "multiple_choice"):
        return [str(c) for c in value["choices"] if str(c).strip()]
    if block_type == "agree_scale":
        return [*AGREE_SCALE, *([DONT_KNOW] if value.get("include_dont_know") else [])]
    return []


class AgendaItemBlock(blocks.StructBlock):
    title = blocks.CharBlock(max_length=200)
    summary = blocks.RichTextBlock(required=False, features=["bold", "link", "ul"])
    papers = blocks.ListBlock(
        DocumentChooserBlock(), default=[], help_text="Reports and appendices for this item."
    )
    consultation = blocks.PageChooserBlock(
        page_type="consultations.ConsultationPage",
        required=False,
        help_text="The consultation this item considers, if any.",
    )

    class Meta:
        icon = "list-ol"
        template = "components/streamfield/agenda_item_block.html"


class AgendaStreamBlock(blocks.StreamBlock):
    item = AgendaItemBlock()
