"""modelsearch's `rebuild_modelsearch_index`, with a progress bar per model.

Same options and output at verbosity 0 (none); at verbosity 1 each model gets a bar with the
count and rate, e.g. `questions.question  [##########..........]  5000/10000  812/s`.
"""

import time

from modelsearch.backends import get_search_backend
from modelsearch.index import get_indexed_models
from modelsearch.management.commands.rebuild_modelsearch_index import (
    DEFAULT_CHUNK_SIZE,
    group_models_by_index,
)
from modelsearch.management.commands.rebuild_modelsearch_index import (
    Command as ModelsearchCommand,
)

BAR_WIDTH = 30


class Command(ModelsearchCommand):
    help = "Rebuild the search index from the database (with a progress bar)."

    def update_backend(self, backend_name, schema_only=False, chunk_size=DEFAULT_CHUNK_SIZE):
        self.write("Updating backend: " + backend_name)
        backend = get_search_backend(backend_name)
        if not backend.rebuilder_class:
            self.write(f"Backend '{backend_name}' doesn't require rebuilding")
            return

        grouped = group_models_by_index(backend, get_indexed_models()).items()
        if not grouped:
            self.write(f"{backend_name}: No indices to rebuild")

        for index, index_models in grouped:
            self.write(f"{backend_name}: Rebuilding index {index}")
            rebuilder = backend.rebuilder_class(index)
            target = rebuilder.start()
            object_count = 0
            try:
                for model in index_models:
                    target.add_model(model)
                if not schema_only:
                    for model in index_models:
                        queryset = model.get_indexed_objects().order_by("pk")
                        total = queryset.count()
                        label = f"{model._meta.app_label}.{model.__name__}"
                        started = time.monotonic()
                        done = 0
                        self._bar(label, done, total, started)
                        for chunk in self.queryset_chunks(queryset, chunk_size):
                            target.add_items(model, chunk)
                            done += len(chunk)
                            object_count += len(chunk)
                            self._bar(label, done, total, started)
                        self.write("")
            except BaseException:
                abort = getattr(rebuilder, "abort", None)
                if abort is not None:
                    abort()
                raise
            rebuilder.finish()
            self.write(f"{backend_name}: indexed {object_count} objects")
            self.print_newline()

    def _bar(self, label, done, total, started):
        if self.verbosity < 1:
            return
        filled = BAR_WIDTH if not total else int(BAR_WIDTH * done / total)
        elapsed = max(time.monotonic() - started, 1e-6)
        line = (
            f"\r{label[:34]:<34} [{'#' * filled}{'.' * (BAR_WIDTH - filled)}] "
            f"{done}/{total}  {done / elapsed:,.0f}/s"
        )
        self.stdout.write(line, ending="")
        self.stdout.flush()
