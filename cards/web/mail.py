"""Mail backends: the console one for development (bodies shown as a person
reads them) and the SMTP one for production (headers a mail client can read)."""

import email.policy
import smtplib

from django.core.mail.backends import console, smtp

# Transfer encodings are for the wire; a quoted-printable soft break ("=" at
# the end of a line) in the middle of a password-reset link makes it useless.
_WIRE_HEADERS = {"content-transfer-encoding"}


class EmailBackend(console.EmailBackend):
    """Like Django's console backend, but prints each text part decoded."""

    def write_message(self, message) -> None:
        msg = message.message()
        lines = [f"{k}: {v}" for k, v in msg.items() if k.lower() not in _WIRE_HEADERS]
        for part in msg.walk():
            if part.is_multipart():
                continue
            if part is not msg:
                lines.append(f"\n--- {part.get_content_type()} ---")
            if part.get_content_maintype() == "text":
                charset = part.get_content_charset() or "utf-8"
                body = part.get_payload(decode=True).decode(charset, "replace")
                lines.append("\n" + body.rstrip("\n"))
            else:
                lines.append(f"({part.get_content_type()}, not shown)")
        self.stream.write("\n".join(lines) + "\n")
        self.stream.write("-" * 79 + "\n")


# RFC 5322 allows header lines of 998 characters. Django's SMTP backend folds
# at 78 (email.policy.SMTP), and a header with one long token, such as
# List-Unsubscribe's <https://…/token/>, then becomes RFC 2047 encoded words
# (=?utf-8?q?=3Chttps=3A…?=), which no mail client reads as a link: one-click
# unsubscribe silently stops working. Headers still fold at spaces.
WIRE_POLICY = email.policy.SMTP.clone(max_line_length=998)


class SMTPBackend(smtp.EmailBackend):
    """Django's SMTP backend, serialising with WIRE_POLICY."""

    def _send(self, email_message) -> bool:
        if not email_message.recipients():
            return False
        from_email = self.prep_address(email_message.from_email)
        recipients = [self.prep_address(a) for a in email_message.recipients()]
        message = email_message.message(policy=WIRE_POLICY)
        try:
            self.connection.sendmail(from_email, recipients, message.as_bytes())
        except smtplib.SMTPException:
            if not self.fail_silently:
                raise
            return False
        return True
