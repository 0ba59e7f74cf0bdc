"""The outbox: messages to people outside the system (safeguarding referrals to the
authorities, chasers), written in the same transaction as what they report and delivered
afterwards, with retries, so none is lost if a process dies or a mail server is down."""
