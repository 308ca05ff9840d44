from social.models import Post


def approved_post(channel, text="Bin collections move to Tuesdays from 3 March.", **extra):
    return Post.objects.create(channel=channel, text=text, status=Post.Status.APPROVED, **extra)
