from django.db import models


class PendingIndexChange(models.Model):
    """A change to an indexed object that the search index has not taken yet.

    Recorded in the same transaction as the change itself, so it exists exactly when the change
    was committed; the drain (`search.index_queue.drain`) applies queued changes in batches
    through the index's single writer and deletes the rows it applied. A row that cannot be
    applied (the index is locked, missing or corrupt) stays until a later drain or a rebuild.
    """

    class Action(models.TextChoices):
        UPDATE = "update", "Add or update"
        DELETE = "delete", "Delete"

    action = models.CharField(max_length=6, choices=Action.choices)
    # The most specific model of the object (app_label.model_name) and its primary key.
    model_label = models.CharField(max_length=200, blank=True)
    object_pk = models.CharField(max_length=100, blank=True)
    # The document in the index (root model label and primary key).
    document_id = models.CharField(max_length=300)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    attempts = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return f"{self.action} {self.document_id}"
