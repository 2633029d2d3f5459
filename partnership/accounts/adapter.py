import secrets

from allauth.account.adapter import DefaultAccountAdapter
from django.contrib.sites.shortcuts import get_current_site
from django.http import HttpRequest

from partnership.notifications.services import message_enqueue


class PortalAccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        # Families and staff are invited by their school; nobody signs themselves up.
        return False

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """allauth's emails (sign-in codes, password resets) go through the outbox too."""
        request = self.request
        ctx = {"request": request, "email": email, "current_site": get_current_site(request)}
        ctx.update(context)
        msg = self.render_mail(template_prefix, email, ctx)
        html = next(
            (
                body
                for body, mimetype in getattr(msg, "alternatives", [])
                if mimetype == "text/html"
            ),
            "",
        )
        kind = template_prefix.rsplit("/", 1)[-1]
        user = context.get("user")
        message_enqueue(
            # Every code or reset link is a message of its own, so its key is unique.
            key=f"account:{kind}:{secrets.token_hex(12)}",
            kind=kind,
            to_email=email,
            subject=msg.subject,
            body_text=msg.body,
            body_html=html,
            recipient=user if getattr(user, "pk", None) else None,
        )
