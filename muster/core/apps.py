from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "muster.core"
    label = "core"

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from muster.core import lookups  # noqa: F401  (registers field__in_array)
        from muster.core.collation import sqlite_collation_on_connect
        from muster.core.sqlite import wal_on_connect

        connection_created.connect(wal_on_connect, dispatch_uid="muster.core.wal_on_connect")
        connection_created.connect(
            sqlite_collation_on_connect, dispatch_uid="muster.core.sqlite_collation_on_connect"
        )
