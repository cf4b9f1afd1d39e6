from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "muster.accounts"
    label = "accounts"

    def ready(self) -> None:
        from muster.accounts import bulk
        from muster.core.restructuring import Participant, register_participant

        register_participant(
            Participant(
                "accounts",
                plan=bulk.restructure_plan,
                apply=bulk.restructure_apply,
                revert=bulk.restructure_revert,
            )
        )
