from django.core.management.base import BaseCommand, CommandError

from ventanilla.people.models import ApiToken, User
from ventanilla.people.services import issue_api_token, revoke_api_token, system_account


class Command(BaseCommand):
    help = "Issue an API token for an account (the secret is printed once), or revoke one by its prefix."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="cli")
        parser.add_argument("--revoke", metavar="PREFIX", help="revoke the account's token with this prefix")

    def handle(self, *args, username, name, revoke, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"no account named {username}")
        if revoke:
            token = ApiToken.objects.filter(user=user, prefix=revoke, revoked_at__isnull=True).first()
            if token is None:
                raise CommandError(f"{username} has no active token starting with {revoke}")
            revoke_api_token(system_account(), token)
            self.stdout.write(f"revoked {token}")
            return
        token, secret = issue_api_token(system_account(), user, name)
        self.stdout.write(secret)
