"""`send_reminders` through a real SMTP server on a local port (tests/tasks/smtp.py): what
arrives, once only, only what each user may see, and a refused address reported while the
others still get theirs."""

import re
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from reports.models import Report
from tasks.models import ReminderPreference, SentReminder
from tests.tasks.conftest import SITE

pytestmark = pytest.mark.smtp


def send():
    out, err = StringIO(), StringIO()
    call_command("send_reminders", stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def bodies(message):
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    return text.replace("\r\n", "\n"), html.replace("\r\n", "\n")


def test_each_user_gets_one_digest_of_what_needs_them(mailbox, addressed, oxfordshire):
    send()

    for address in addressed.values():
        assert len(mailbox.to(address)) == 1
    message = mailbox.to(addressed["commissioner"])[0]
    assert message["From"] == "partnerships@example.gov.uk"
    text, html = bodies(message)
    line = "The 2026/27 Q2 return is overdue: it was due by 28 October 2026"
    link = f"{SITE}/partnerships/{oxfordshire.slug}/returns/2026-27-Q2/"
    assert f"- {line}\n  {link}" in text
    assert f'<a href="{link}" style="color: #1d70b8;">{line}</a>' in html
    assert f"{SITE}/reminders/stop/" in text and f"{SITE}/reminders/stop/" in html


def test_a_digest_holds_only_what_its_reader_may_see(mailbox, addressed, bromley):
    send()

    scrutiny, _ = bodies(mailbox.to(addressed["scrutiny.officer"])[0])
    s117, _ = bodies(mailbox.to(addressed["s117.officer"])[0])
    jmg, _ = bodies(mailbox.to(addressed["jmg.member"])[0])
    # the papers just published, and nothing a scrutiny officer can't see or act on
    assert "was published on 3 December 2026" in scrutiny
    for private in ("return", "s117", "action", "budget", "KPI", "ends on"):
        assert private not in scrutiny
    assert "The agreement ends on 31 March 2027, within 6 months" in jmg
    assert "s117 register: 3 people overdue for review" in s117
    assert "BR-S117-" not in s117
    assert "return is overdue" not in s117 and "action plan" not in s117
    assert "s117 register" not in jmg and "return is overdue" not in jmg


def test_run_twice_the_same_day_each_reminder_goes_once(mailbox, addressed, bromley):
    send()
    first = len(mailbox.messages)

    out, _ = send()

    assert len(mailbox.messages) == first == len(addressed)
    assert "0 reminder email(s) sent." in out
    draft = Report.objects.create(
        agreement=bromley, kind="scrutiny", period="2026/27-Q1", title="Scrutiny report Q1"
    )
    send()
    assert len(mailbox.messages) == first + 1
    text, _ = bodies(mailbox.to(addressed["commissioner"])[-1])
    assert "Scrutiny report Q1 is drafted but not published" in text
    assert f"{SITE}/partnerships/{bromley.slug}/reports/{draft.pk}/" in text
    assert "return is overdue" not in text  # told yesterday, so not again


def test_a_refused_address_is_reported_and_the_others_still_get_theirs(mailbox, addressed):
    mailbox.refused.add(addressed["jmg.member"])
    err = StringIO()

    with pytest.raises(CommandError, match="1 reminder email"):
        call_command("send_reminders", stdout=StringIO(), stderr=err)

    assert "Could not send reminders to jmg.member: the mail server refused" in err.getvalue()
    assert "550" in err.getvalue()
    assert mailbox.to(addressed["jmg.member"]) == []
    for name in ("commissioner", "scrutiny.officer", "s117.officer"):
        assert len(mailbox.to(addressed[name])) == 1
    jmg = get_user_model().objects.get(username="jmg.member")
    assert not SentReminder.objects.filter(user=jmg).exists()
    mailbox.refused.clear()
    send()  # tried again, and this time it goes
    assert len(mailbox.to(addressed["jmg.member"])) == 1


def test_a_malformed_address_is_reported_without_stopping_the_rest(mailbox, addressed):
    get_user_model().objects.filter(username="commissioner").update(email="not an\naddress")

    with pytest.raises(CommandError):
        call_command("send_reminders", stdout=StringIO(), stderr=StringIO())

    for name in ("jmg.member", "scrutiny.officer", "s117.officer"):
        assert len(mailbox.to(addressed[name])) == 1


def test_the_stop_link_stops_reminders_after_a_confirming_post(mailbox, addressed, client):
    send()
    text, _ = bodies(mailbox.to(addressed["scrutiny.officer"])[0])
    stop = re.search(rf"{re.escape(SITE)}(/reminders/stop/[^/\s]+/)", text)[1]

    page = client.get(stop)
    assert page.status_code == 200
    assert b"Stop reminder emails</button>" in page.content
    user = get_user_model().objects.get(username="scrutiny.officer")
    assert not ReminderPreference.objects.filter(user=user, stopped=True).exists()

    done = client.post(stop)
    assert done.status_code == 200
    assert b"Reminder emails stopped" in done.content
    assert ReminderPreference.objects.get(user=user).stopped
    SentReminder.objects.all().delete()  # everything would be new again
    send()
    assert len(mailbox.to(addressed["scrutiny.officer"])) == 1
    assert len(mailbox.to(addressed["commissioner"])) == 2


def test_a_link_we_did_not_sign_stops_nothing(client, addressed):
    assert client.get("/reminders/stop/forged-token/").status_code == 404
    assert client.post("/reminders/stop/forged-token/").status_code == 404


def test_users_without_an_address_or_inactive_get_nothing(mailbox, addressed):
    users = get_user_model().objects
    users.filter(username="jmg.member").update(email="")
    users.filter(username="commissioner").update(is_active=False)

    send()

    assert {address for recipients, _ in mailbox.messages for address in recipients} == {
        addressed["scrutiny.officer"],
        addressed["s117.officer"],
    }


def test_without_the_site_address_nothing_is_sent(mailbox, addressed, settings):
    settings.SITE_URL = ""

    with pytest.raises(CommandError, match="SITE_URL is not set"):
        send()

    assert mailbox.messages == []
