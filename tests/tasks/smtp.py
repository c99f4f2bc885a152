"""A real SMTP server on a free local port (aiosmtpd), for the reminder emails' tests: what
it accepted is read back as parsed messages; an address it is told to refuse gets 550."""

import socket
from email import message_from_bytes, policy

from aiosmtpd.controller import Controller


class Mailbox:
    """aiosmtpd's handler: keeps every message it accepts, refuses the addresses in
    `refused` at RCPT as a mail server refuses an unknown mailbox."""

    def __init__(self):
        self.messages = []
        self.refused = set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refused:
            return "550 5.1.1 No such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = message_from_bytes(envelope.content, policy=policy.default)
        self.messages.append((list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"

    def to(self, address):
        return [message for recipients, message in self.messages if address in recipients]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start(mailbox: Mailbox) -> Controller:
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    return controller
