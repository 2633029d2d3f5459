"""The demo trust: Riverside Learning Trust holds the demo school, and the demo governor
sits on its board, so the trust summary can be tried with the demo logins."""

from partnership.accounts.models import User
from partnership.schools.models import School, Trust

DEMO_TRUST_SLUG = "riverside-learning-trust"
DEMO_TRUSTEE = "governor@example.org"


def seed_trust(*, school: School) -> Trust:
    """Safe to run again: finds the trust by slug and only adds what is missing."""
    trust, _ = Trust.objects.update_or_create(
        slug=DEMO_TRUST_SLUG, defaults={"name": "Riverside Learning Trust"}
    )
    if school.trust_id != trust.pk:
        school.trust = trust
        school.save(update_fields=["trust"])
    trustee = User.objects.filter(email=DEMO_TRUSTEE).first()
    if trustee is not None:
        trust.trustees.add(trustee)
    return trust
