"""The development mail backend: the console, with bodies shown as a person reads them."""

from django.core.mail.backends import console

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
