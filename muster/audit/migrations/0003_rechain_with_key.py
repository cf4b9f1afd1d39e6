"""Existing databases carry the first release's plain SHA-256 chain, which anyone able to
write the database could recompute. Re-MAC both chains with the key kept outside the database
(`core.keys`), recording in an `audit.chain.rekeyed` event whether the old chain verified, and
write the first checkpoints. An empty database (a new install, a test run) has nothing to do.
"""

from django.db import migrations


def rechain(apps, schema_editor):
    from muster.audit.rekey import first_broken, rechain_tables

    audit_event = apps.get_model("audit", "AuditEvent")
    read_event = apps.get_model("audit", "ReadEvent")
    using = schema_editor.connection.alias
    if not (audit_event.objects.using(using).exists() or read_event.objects.using(using).exists()):
        return
    rechain_tables(
        audit_event,
        read_event,
        apps.get_model("audit", "ChainIdentity"),
        using=using,
        previous="sha256",
        previous_first_broken=first_broken(audit_event, using, key=None),
    )


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_readevent_chain_and_identity")]

    operations = [migrations.RunPython(rechain, migrations.RunPython.noop)]
