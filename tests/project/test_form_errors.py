"""Every form of the portal, sent empty through its own view: the errors it shows are tied
to their fields for screen readers, say what to do, and are listed at the top of the page.

A sighted parent sees a red box; a parent using a screen reader hears "invalid" on the field
and the error read with it, and both can jump from the summary to the field. The forms are
those of the fuzz registry (tests/security/fuzz.py), which a test keeps complete.
"""

from __future__ import annotations

import importlib

import pytest
from django import forms
from django.urls import reverse

from tests.security.fuzz import REGISTRY, World, page_defaults

from .form_html import (
    INSTRUCTION,
    attr,
    by_id,
    controls_named,
    described_by,
    has_label,
    parse,
    summary_links,
    text_of,
    visible_controls,
)

# Forms that an empty POST does not refuse with errors on the page: the small one-button
# forms redirect with a message, and a few forms have no required field.
SHOW_NO_FIELD_ERRORS_WHEN_EMPTY = {
    "partnership.audit.forms.AuditFilterForm": "a search: empty means everything",
    "partnership.meetings.forms_bookings.CancelForm": "the reason is optional: empty cancels",
    "partnership.meetings.forms_sessions.CancelSessionForm": "the reason is optional",
    "partnership.praise.forms_thanks.ThanksForm": "one box under a praise; redirects",
    "partnership.plans.forms.observations.ReplyForm": "one box under an observation; redirects",
    "partnership.contact.forms.log.ActionForm": "an agreed action left empty is not added",
    "partnership.meetings.forms_sessions.AttendanceForm": "nobody ticked means nobody came",
    # Each row of an import file is checked by this form; the import page lists its errors.
    "partnership.schools.forms.ChildImportRowForm": "rows of a file, listed by row number",
    "partnership.contact.forms.log.ConfirmForm": "one button; redirects with a message",
    "partnership.coproduction.forms_group.InviteForm": "one button; redirects with a message",
    "partnership.coproduction.forms_group.RepresentativeForm": "redirects with a message",
    "partnership.coproduction.forms_support.OfferForm": "redirects with a message",
    "partnership.meetings.forms_sessions.JoinForm": "redirects with a message",
    "partnership.meetings.forms_slots.PatternStopForm": "no required field",
    "partnership.praise.views.reminders.PraiseReminderForm": "no required field",
}

# What the small world must hold for the page to show the form at all.
NEEDS = {
    "partnership.praise.forms.PraiseGiveForm": ("praise_value",),
    "partnership.meetings.forms_bookings.MoveForm": ("slot",),  # a free time to move to
    "partnership.plans.forms.targets.AgreementForm": ("parent",),  # a family to agree
}


def _form_class(path: str) -> type[forms.BaseForm]:
    module, name = path.rsplit(".", 1)
    return getattr(importlib.import_module(module), name)


def _bound_forms(response, form_class) -> list[forms.BaseForm]:
    """The instances of the form in the page's context, formsets opened up."""
    found: list[forms.BaseForm] = []
    for context in response.context or []:
        for value in context.flatten().values() if hasattr(context, "flatten") else []:
            candidates = list(value) if isinstance(value, forms.BaseFormSet) else [value]
            for candidate in candidates:
                new = all(candidate is not f for f in found)
                if isinstance(candidate, form_class) and candidate.is_bound and new:
                    found.append(candidate)
    return found


def _post_empty(client, path: str):
    """Send the form as a browser would with nothing filled in: the page's hidden values
    (tokens, formset counts) as they are, every field of the form empty."""
    world = World()
    case = REGISTRY[path]
    user = getattr(world, case.role)
    if user is not None:
        client.force_login(user)
    url = case.url(world)
    for needed in NEEDS.get(path, ()):
        getattr(world, needed)  # made on first use
    data = page_defaults(client, url, case.method)
    fields = _form_class(path).base_fields
    for name in [*fields, *case.extra_fields(world)]:
        field = fields.get(name)
        if field is not None and getattr(field.widget, "allow_multiple_selected", False):
            data.pop(case.prefix + name, None)  # nothing ticked sends nothing
        else:
            data[case.prefix + name] = ""
    return getattr(client, case.method)(url, data)


def _problems(html: str, form: forms.BaseForm) -> list[str]:
    root = parse(html)
    ids = by_id(root)
    links = summary_links(root)
    problems = []
    if links is None:
        problems.append("no error summary at the top of the page")
    for name in form.errors:
        if name == forms.forms.NON_FIELD_ERRORS or form[name].is_hidden:
            continue
        errors = form[name].errors  # as shown: the portal's BoundField words them
        html_name = form.add_prefix(name)
        controls = controls_named(root, html_name)
        # Another form of the page may use the same name (allauth's list of addresses
        # beside its "add an address" box): keep this field's own controls when ids say so.
        auto_id = form[name].auto_id
        own = [(c, up) for c, up in controls if (attr(c, "id") or "").startswith(auto_id)]
        controls = own or controls
        if not controls:
            choices = getattr(form.fields[name], "choices", [("x", "")])
            if not [value for value, _ in choices if value not in ("", None)]:
                continue  # nothing to choose from in this small world, so no control
            problems.append(f"{html_name}: has an error but no control on the page")
            continue
        for message in errors:
            if not INSTRUCTION.search(message):
                problems.append(f"{html_name}: {message!r} does not say what to do")
        for control, ancestors in controls:
            if attr(control, "aria-invalid") != "true":
                problems.append(f"{html_name}: no aria-invalid=true")
            described = " ".join(
                text_of(ids[i]) for i in described_by(control, ancestors) if i in ids
            )
            missing = [m for m in errors if " ".join(str(m).split()) not in described]
            if missing:
                problems.append(f"{html_name}: error not in its aria-describedby text: {missing}")
        # The summary may lead to the control or to the group or box around it.
        first, around = controls[0]
        targets = {attr(el, "id") for el in (first, *around)} - {None}
        if links is not None and not targets & links:
            problems.append(f"{html_name}: the error summary does not link to it")
    for control, ancestors in visible_controls(root):
        if not has_label(root, control, ancestors):
            problems.append(f"{attr(control, 'name')}: no label")
    return problems


FORMS = sorted(set(REGISTRY) - SHOW_NO_FIELD_ERRORS_WHEN_EMPTY.keys())


@pytest.mark.django_db
@pytest.mark.parametrize("path", FORMS)
def test_errors_of_an_empty_form_are_tied_to_their_fields(path, client):
    response = _post_empty(client, path)

    assert response.status_code == 200, f"an empty form was answered {response.status_code}"
    bound = [f for f in _bound_forms(response, _form_class(path)) if f.errors]
    assert bound, "the page shows no errors for an empty form"
    problems = [p for form in bound for p in _problems(response.content.decode(), form)]
    assert not problems, "\n".join(problems)


@pytest.mark.django_db
@pytest.mark.parametrize("path", sorted(SHOW_NO_FIELD_ERRORS_WHEN_EMPTY))
def test_forms_set_aside_still_show_no_field_errors(path, client):
    """A form set aside above that starts showing field errors on a page of its own
    belongs in the main test."""
    response = _post_empty(client, path)

    if response.status_code == 200 and b"</html>" in response.content:
        assert not [f for f in _bound_forms(response, _form_class(path)) if f.errors]


# allauth's forms (signing in, codes, passwords, email) are drawn by templates/allauth/.
ACCOUNT_FORMS = {
    "account_login": ("anonymous", {"login": "", "password": ""}),
    "account_request_login_code": ("anonymous", {"email": ""}),
    "account_reset_password": ("anonymous", {"email": ""}),
    "account_change_password": ("parent", {"oldpassword": "", "password1": "", "password2": ""}),
    "account_email": ("parent", {"action_add": "", "email": ""}),
}


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(ACCOUNT_FORMS))
def test_errors_of_account_forms_are_tied_to_their_fields(name, client):
    role, data = ACCOUNT_FORMS[name]
    user = getattr(World(), role)
    if user is not None:
        client.force_login(user)

    response = client.post(reverse(name), data)

    assert response.status_code == 200, response.status_code
    form = response.context["form"]
    assert form.errors
    assert not _problems(response.content.decode(), form)


class _Example(forms.Form):
    full_name = forms.CharField(label="Full name")
    story = forms.CharField(label="What happened at home?", widget=forms.Textarea)
    day = forms.DateField(label="Day")
    kind = forms.ChoiceField(label="Kind", choices=[("a", "A")], widget=forms.RadioSelect)
    topics = forms.MultipleChoiceField(label="Topics", choices=[("a", "A")])
    own = forms.CharField(label="Own", error_messages={"required": "Say who it is for."})


def test_an_empty_required_field_says_what_to_do_in_the_words_of_its_kind():
    form = _Example(data={})

    shown = {name: list(form[name].errors) for name in form.fields}

    assert shown == {
        "full_name": ["Enter full name."],
        "story": ["Write your answer in this box."],
        "day": ["Enter a date."],
        "kind": ["Choose one of the options."],
        "topics": ["Choose at least one option."],
        "own": ["Say who it is for."],  # a form's own words are kept
    }
    # What views and services read keeps Django's wording.
    assert form.errors["full_name"] == ["This field is required."]
