"""The StreamField blocks every page body shares (one base block, as in Wagtail's bakery demo)."""

from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock

RICH_TEXT_FEATURES = ["h2", "h3", "bold", "italic", "ol", "ul", "link", "document-link"]


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(max_length=120)
    size = blocks.ChoiceBlock(choices=[("m", "Section heading"), ("s", "Sub-heading")], default="m")

    class Meta:
        icon = "title"
        template = "components/streamfield/heading_block.html"
        preview_value = {"text": "What happens next", "size": "m"}


class CalloutBlock(blocks.StructBlock):
    style = blocks.ChoiceBlock(
        choices=[
            ("inset", "Inset text (background information)"),
            ("warning", "Warning (something people must know)"),
            ("notice", "Notification banner (important and time-limited)"),
        ],
        default="inset",
    )
    title = blocks.CharBlock(required=False, max_length=120)
    text = blocks.RichTextBlock(features=["bold", "link", "ul"])

    class Meta:
        icon = "warning"
        template = "components/streamfield/callout_block.html"
        preview_value = {
            "style": "inset",
            "text": "<p>Paper copies are available at every library.</p>",
        }


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock()
    alt_text = blocks.CharBlock(
        max_length=250,
        help_text="Describe the image for people who cannot see it. Leave out 'image of'.",
    )
    caption = blocks.CharBlock(required=False, max_length=250)

    class Meta:
        icon = "image"
        template = "components/streamfield/image_block.html"


class DocumentBlock(blocks.StructBlock):
    document = DocumentChooserBlock()
    title = blocks.CharBlock(
        required=False, max_length=200, help_text="Defaults to the document's own title."
    )

    class Meta:
        icon = "doc-full"
        template = "components/streamfield/document_block.html"


class EmbedMediaBlock(blocks.StructBlock):
    embed = EmbedBlock(help_text="A link to a map or video, for example on YouTube or Vimeo.")
    title = blocks.CharBlock(max_length=200, help_text="What the map or video shows.")
    transcript = blocks.RichTextBlock(
        required=False, features=["bold", "link", "ul"], help_text="A text alternative."
    )

    class Meta:
        icon = "media"
        template = "components/streamfield/embed_block.html"


class DetailsBlock(blocks.StructBlock):
    summary = blocks.CharBlock(max_length=120)
    text = blocks.RichTextBlock(features=RICH_TEXT_FEATURES)

    class Meta:
        icon = "list-ul"
        template = "components/streamfield/details_block.html"
        preview_value = {
            "summary": "Help with this form",
            "text": "<p>Call 0300 123 4567 or visit any library.</p>",
        }


class BaseStreamBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        features=RICH_TEXT_FEATURES, template="components/streamfield/paragraph_block.html"
    )
    callout = CalloutBlock()
    details = DetailsBlock()
    image = ImageBlock()
    document = DocumentBlock()
    embed = EmbedMediaBlock()
