"""How a message leaves: a channel sends one message or raises. Email over SMTP today; another
(GOV.UK Notify, say) is another class with the same ``send``."""

from __future__ import annotations

import smtplib
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Protocol

from beaconport.settings import get_settings


@dataclass(frozen=True, slots=True)
class Outgoing:
    recipient: str
    subject: str
    body: str
    message_id: str


class Channel(Protocol):
    def send(self, message: Outgoing) -> None:
        """Deliver the message, or raise: the outbox tries again later."""


@dataclass(frozen=True, slots=True)
class SmtpChannel:
    host: str
    port: int
    sender: str
    starttls: bool = False
    username: str | None = None
    password: str | None = None
    timeout: float = 20.0

    def send(self, message: Outgoing) -> None:
        email = EmailMessage()
        email["From"], email["To"] = self.sender, message.recipient
        email["Subject"], email["Message-ID"] = message.subject, message.message_id
        email.set_content(message.body)
        with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as smtp:
            if self.starttls:
                smtp.starttls()
            if self.username:
                smtp.login(self.username, self.password or "")
            smtp.send_message(email)


def configured_channels() -> dict[str, Channel]:
    """The channels the settings describe."""
    settings = get_settings()
    return {"email": SmtpChannel(settings.smtp_host, settings.smtp_port, settings.smtp_from,
                                 settings.smtp_starttls, settings.smtp_username or None,
                                 settings.smtp_password or None)}
